// Command hello is the reference for start-up time: a Go program that
// prints one line, as `coalition version` does.
package main

import "fmt"

func main() { fmt.Println("hello") }
