import NetrunCore
