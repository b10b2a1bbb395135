"""Build hook for the optional compiled accelerator; the project's metadata lives in pyproject.toml.

``bridge._speedups`` (Cython) speeds up the binary conversions. It is optional: when Cython or a
C compiler is missing, or the compile fails, the package installs without it and the pure-Python
path (which gives byte-identical results) is used.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup


def _extensions() -> list[Extension]:
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("warning: Cython is not installed; bridge._speedups is not built", file=sys.stderr)
        return []
    extension = Extension("bridge._speedups", ["bridge/_speedups.pyx"])
    try:
        # The generated C goes under build/, not into the package (nor the wheel).
        extensions = cythonize([extension], build_dir="build", compiler_directives={"language_level": 3}, quiet=True)
    except Exception as error:  # a Cython error must not fail the install: the pure path remains
        print(f"warning: bridge._speedups is not built: {error}", file=sys.stderr)
        return []
    for built in extensions:
        built.optional = True  # a failed compile is a warning (cythonize does not carry the flag over)
    return extensions


setup(ext_modules=_extensions())
