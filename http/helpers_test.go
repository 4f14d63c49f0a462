package http_test

import "os"

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "coalition-http-test-") }
