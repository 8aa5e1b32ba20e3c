# conflict-kg: `make run` builds the graph from seeds/, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= kg-store
STAMP := $(VENV)/.installed

.PHONY: run test typecheck setup bench bench-detail eval vendor clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg build seeds --store $(STORE)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# the type check alone ([tool.mypy] in pyproject.toml); `make test` runs it too (tests/test_typing.py)
typecheck: $(STAMP)
	$(BIN)/python -m mypy

# the project's targets in one table from one run (bench/summary.py: start-up, build speed with 1 and N
# processes and on Dask, re-run, linearity at 8x FA-KES, name lookups, the query guard, HTTP, a store on a server)
bench: $(STAMP)
	$(BIN)/python bench/summary.py

# each benchmark alone, with its own detail: also input size (hostile_input) and slow vs fast queries (serve_load)
bench-detail: $(STAMP)
	$(BIN)/python bench/cli_start.py
	$(BIN)/python bench/build_speed.py
	$(BIN)/python bench/pipeline_parts.py
	$(BIN)/python bench/build_scale.py
	$(BIN)/python bench/query_speed.py
	$(BIN)/python bench/hostile_input.py
	$(BIN)/python bench/serve_load.py --mix --timeout 2
	$(BIN)/python bench/remote_store.py

# extraction scores: seeds and dev set (../shared/eval), then the three style sets in tests/data/styles
eval: $(STAMP)
	../shared/eval/run-eval all
	@for s in summaries monitor webnews; do \
	  d=$$(mktemp -d); \
	  $(BIN)/kg build tests/data/styles/$$s.jsonl --store $$d/store --no-progress >/dev/null 2>&1; \
	  $(BIN)/kg export --store $$d/store --format nquads -o $$d/out.nq; \
	  echo; $(BIN)/python ../shared/eval/score.py --gold tests/data/styles/$$s.gold.json --graph $$d/out.nq; \
	  rm -rf $$d; \
	done

# the explorer's libraries from the npm registry (pinned, checked), into kg/static/vendor/, and its base map
vendor: $(STAMP)
	$(BIN)/python scripts/vendor_static.py

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .mypy_cache
