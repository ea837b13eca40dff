package storetest

var partyTests = []storeTest{}
