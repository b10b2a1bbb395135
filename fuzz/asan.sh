#!/usr/bin/env bash
# Build bridge/_speedups and bridge/_decoder with AddressSanitizer + UndefinedBehaviorSanitizer (gcc)
# in a copy of the tree, and run the tests that exercise them against that build.
#
#   fuzz/asan.sh                 # the working tree as it is (uncommitted edits included)
#   fuzz/asan.sh --head          # the last commit instead (git archive HEAD)
#   fuzz/asan.sh -- -k strings   # anything after -- goes to pytest
#
# Nothing in the checkout is touched: the tree is copied to a scratch directory ($RTB_ASAN_DIR, or
# a new mktemp -d), built there in place, and tested there with the project's venv interpreter
# (.venv, for the test dependencies) and the copy first on sys.path. The build needs Cython, which
# the project venv does not hold (pip's build isolation had it): a scratch build venv is made in the
# scratch directory (pip install "Cython>=3.3,<4"), or give one with RTB_CYTHON_VENV=/path.
#
# The interpreter is not built with ASan, so libasan (and libubsan) is LD_PRELOADed, leak detection
# is off (CPython keeps its objects to exit), and PYTHONMALLOC=malloc routes every Python object
# through the sanitized malloc, so a use after free of an object (a borrowed reference kept too
# long, a missing incref) is caught, not hidden in pymalloc's arenas. Reports are written to
# <scratch>/logs/ and printed at the end; the exit status is non-zero if pytest failed or any
# sanitizer reported anything.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV_PY="${RTB_VENV_PYTHON:-$ROOT/.venv/bin/python}"
SOURCE=worktree
PYTEST_ARGS=()
while (($#)); do
    case "$1" in
        --head) SOURCE=head ;;
        --) shift; PYTEST_ARGS=("$@"); break ;;
        *) echo "usage: $0 [--head] [-- pytest args]" >&2; exit 2 ;;
    esac
    shift
done
TESTS=(tests/test_decoder.py tests/test_decoder_hostile.py tests/test_decoder_integration.py tests/test_speedups.py
       tests/test_regressions.py tests/test_fused.py tests/test_record_loop.py)
# the fuzz seeds and regressions too, in process (fuzz/ is not in a --head copy until committed)
TESTS+=("tests/test_atheris.py::test_every_seed_and_every_regression_agrees")

WORK="${RTB_ASAN_DIR:-$(mktemp -d -t rtbridge-asan.XXXXXX)}"
TREE="$WORK/tree"
LOGS="$WORK/logs"
rm -rf "$TREE" "$LOGS"
mkdir -p "$TREE" "$LOGS"
echo "== scratch directory: $WORK"

# ---------------------------------------------------------------------------- a copy of the tree
if [[ $SOURCE == head ]]; then
    git -C "$ROOT" archive HEAD | tar -x -C "$TREE"
    # fuzz/ and the test that replays it, as they are (they may not be committed yet)
    cp -r "$ROOT/fuzz" "$TREE/" && cp "$ROOT/tests/test_atheris.py" "$TREE/tests/"
else
    tar -C "$ROOT" --exclude=./.venv --exclude=./.git --exclude=./build --exclude='*.so' \
        --exclude='__pycache__' --exclude=./.pytest_cache --exclude=./.hypothesis -cf - . | tar -x -C "$TREE"
fi

# ------------------------------------------------------------------------------ a Cython to build
CYTHON_VENV="${RTB_CYTHON_VENV:-$WORK/cython-venv}"
if [[ ! -x $CYTHON_VENV/bin/cython ]]; then
    "$VENV_PY" -m venv "$CYTHON_VENV"  # the same base interpreter as the project's venv
    PIP_CONSTRAINT="$ROOT/constraints.txt" "$CYTHON_VENV/bin/pip" install -q Cython setuptools
fi

# ------------------------------------------------------------------------------------- the build
LIBASAN="$(gcc -print-file-name=libasan.so)"
LIBUBSAN="$(gcc -print-file-name=libubsan.so)"
[[ -e $LIBASAN && -e $LIBUBSAN ]] || { echo "gcc's libasan/libubsan not found" >&2; exit 2; }
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
start=$SECONDS
(
    cd "$TREE"
    CC=gcc CFLAGS="$SAN -g -O1" LDFLAGS="$SAN" "$CYTHON_VENV/bin/python" setup.py -q build_ext --inplace
) >"$LOGS/build.log" 2>&1 || { cat "$LOGS/build.log"; exit 1; }
for name in _speedups _decoder; do
    so=$(ls "$TREE"/bridge/$name.*.so 2>/dev/null) || { cat "$LOGS/build.log"; echo "$name was not built" >&2; exit 1; }
    ldd "$so" | grep -q libasan || { echo "$so is not linked with libasan" >&2; exit 1; }
done
echo "== built with $SAN in $((SECONDS - start)) s"

# ---------------------------------------------------------------------------------- the test run
export LD_PRELOAD="$LIBASAN $LIBUBSAN${LD_PRELOAD:+ $LD_PRELOAD}"
export ASAN_OPTIONS="detect_leaks=0:log_path=$LOGS/asan:print_summary=1:detect_stack_use_after_return=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:report_error_type=1:log_path=$LOGS/ubsan:${UBSAN_OPTIONS:-}"
export PYTHONMALLOC=malloc
export PYTHONPATH="$TREE${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
unset RTBRIDGE_PURE_PYTHON RTBRIDGE_FUZZ_FINDINGS
cd "$TREE"
# the copy, its sanitized extensions, in use (not the checkout's editable install)
"$VENV_PY" - "$TREE" <<'EOF'
import sys, bridge, bridge._accel as accel, bridge._speedups as s, bridge._decoder as d
for module in (bridge, s, d):
    assert module.__file__.startswith(sys.argv[1] + "/"), module.__file__
assert accel.available and accel.decode_event is not None, accel.reason
print("== testing", bridge.__file__, "with", s.__file__.rsplit("/", 1)[1], "and", d.__file__.rsplit("/", 1)[1])
EOF
start=$SECONDS
set +e
"$VENV_PY" -m pytest -p no:cacheprovider -q "${TESTS[@]}" "${PYTEST_ARGS[@]}" 2>&1 | tee "$LOGS/pytest.log"
status=${PIPESTATUS[0]}
set -e
echo "== pytest exited $status after $((SECONDS - start)) s"

# ------------------------------------------------------------------------------------ the reports
shopt -s nullglob
reports=("$LOGS"/asan.* "$LOGS"/ubsan.*)
if ((${#reports[@]})); then
    echo "== ${#reports[@]} sanitizer report file(s):"
    for report in "${reports[@]}"; do
        echo "---- $report"
        head -c 20000 "$report"
    done
    exit 1
fi
echo "== no sanitizer reports (logs in $LOGS)"
exit "$status"
