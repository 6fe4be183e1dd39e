# The two entry points of a fresh machine (run as root: namespaces and iptables need it):
#   make main   sets up, then runs the main job (the seed-001 suite on a local cluster)
#   make test   sets up, then runs the whole test suite
.PHONY: setup main test test-unit bench clean

setup:
	bash scripts/setup.sh

main: setup
	bash scripts/main.sh

test: setup
	npm test

test-unit: setup
	npm run test:unit

bench: setup
	npm run bench

clean:
	node dist/src/cli/main.js cluster down || true
	rm -rf dist
