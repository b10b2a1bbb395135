"""Build hook for the optional compiled accelerators; the project's metadata lives in pyproject.toml.

``bridge._speedups`` (Cython) speeds up the binary conversions, ``bridge._decoder`` the decoding of
JSON into the Structs. Both are optional: when Cython or a C compiler is missing, or the compile
fails, the package installs without them and the pure-Python path (which gives identical results)
is used.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup


def _extensions() -> list[Extension]:
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("warning: Cython is not installed; the accelerators are not built", file=sys.stderr)
        return []
    modules = [Extension(f"bridge.{name}", [f"bridge/{name}.pyx"]) for name in ("_speedups", "_decoder")]
    try:
        # The generated C goes under build/, not into the package (nor the wheel).
        extensions = cythonize(modules, build_dir="build", compiler_directives={"language_level": 3}, quiet=True)
    except Exception as error:  # a Cython error must not fail the install: the pure path remains
        print(f"warning: the accelerators are not built: {error}", file=sys.stderr)
        return []
    for built in extensions:
        built.optional = True  # a failed compile is a warning (cythonize does not carry the flag over)
    return extensions


setup(ext_modules=_extensions())
