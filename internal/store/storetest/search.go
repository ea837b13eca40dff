package storetest

var searchTests = []storeTest{}
