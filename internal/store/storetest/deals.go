package storetest

var dealTests = []storeTest{}
