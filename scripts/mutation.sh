#!/usr/bin/env bash
# Mutation testing of one module with mutmut (docs/mutation-testing.md):
#   scripts/mutation.sh services            calculations/services.py against its tests
#   scripts/mutation.sh selectors           calculations/selectors.py
#   scripts/mutation.sh engine/compute      calculations/engine/compute.py against tests/calculations/engine
# It runs in a scratch copy of the project ($MUTATION_DIR, default /tmp/env5001-mutation/<module>) so that the
# work tree is never mutated; run it again to resume. MUTATION_CHILDREN sets the parallel test runs (default 2);
# MUTATION_TESTS replaces the module's test selection. MUTATION_REUSE_DB=1 keeps the SQLite test database in a file
# of the scratch folder between mutmut's forked runs (--reuse-db): each mutant's run skips the migrations (5-6 s),
# for test selections whose tests roll their transactions back (the `db` fixture; not live servers).
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD
module=${1:?"which module? services, selectors or engine/<name>"}
case $module in
  services)
    source=calculations/services.py
    tests="tests/calculations/test_services.py tests/calculations/api/test_runs.py tests/calculations/api/test_energy.py" ;;
  selectors)
    source=calculations/selectors.py
    tests="tests/calculations/test_selectors.py tests/calculations/api/test_runs.py tests/calculations/api/test_periods.py" ;;
  engine/*)
    source=calculations/$module.py
    [[ -f $source ]] || source=calculations/$module  # a package
    tests="tests/calculations/engine" ;;
  *) echo "unknown module $module" >&2; exit 2 ;;
esac
tests=${MUTATION_TESTS:-$tests}  # a narrower test selection, e.g. one test file for one engine module
[[ -e $source ]] || { echo "no $source" >&2; exit 2; }
[[ -x .venv/bin/mutmut ]] || .venv/bin/python -m pip install -q -r requirements-mutation.txt
work=${MUTATION_DIR:-/tmp/env5001-mutation}/${module//\//-}
mkdir -p "$work"
rsync -a --delete --exclude .venv --exclude .git --exclude __pycache__ --exclude mutants --exclude .secret_key ./ "$work/"
only=$source
[[ -d $source ]] && only="$source/*"
if [[ ${MUTATION_REUSE_DB:-} == 1 ]]; then
  # Scratch folder only: a settings module naming the file, and the two pytest options after "-x".
  printf '%s\n' "from env5001site.settings import *  # noqa: F401,F403" \
    "DATABASES[\"default\"][\"TEST\"] = {\"NAME\": \"$work/test-db.sqlite3\"}  # noqa: F405" \
    > "$work/env5001site/mutation_settings.py"
  sed -i 's/^    -x$/    -x\n    --ds=env5001site.mutation_settings\n    --reuse-db/' "$work/setup.cfg"
fi
{
  echo "only_mutate ="
  echo "    $only"
  echo "pytest_add_cli_args_test_selection ="
  for path in $tests; do echo "    $path"; done
} >> "$work/setup.cfg"
cd "$work"
DATABASE_URL= "$project/.venv/bin/mutmut" run --max-children "${MUTATION_CHILDREN:-2}" > mutmut-run.log 2>&1 || true
"$project/.venv/bin/mutmut" results --all true 2>/dev/null > results.txt || "$project/.venv/bin/mutmut" results > results.txt
tail -c 400 mutmut-run.log | tr '\r' '\n' | tail -3
echo "results: $work/results.txt"
