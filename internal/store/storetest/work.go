package storetest

var workTests = []storeTest{}
