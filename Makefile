.PHONY: demo test bench

# Start the platform on SQLite with the demo city, served on http://127.0.0.1:8000
demo:
	@scripts/demo.sh

# The whole test suite (lint, types, SQLite and PostgreSQL, browser tests, coverage)
test:
	@scripts/test.sh

bench:
	@scripts/bench.sh
