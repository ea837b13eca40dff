package storetest

var importTests = []storeTest{}
