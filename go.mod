module coalition

go 1.26
