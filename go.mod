module rackflow

go 1.26
