package storetest

var configTests = []storeTest{}
