# Convenience targets; scripts/build.sh is the one way the binary is built.
.PHONY: build test crash-full loadtest docker
build:
	scripts/build.sh coalition
test:
	go test ./...
crash-full:
	COALITION_CRASH_FULL=1 go test ./cmd/coalition -run TestCrashLosesNoAcknowledgedWrite -v -timeout 30m
loadtest:
	scripts/loadtest.sh
docker:
	docker build -f deploy/Dockerfile -t coalition .
