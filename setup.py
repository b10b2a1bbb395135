"""Build hook for the optional compiled accelerators; the project's metadata lives in pyproject.toml.

``bridge._speedups`` (Cython) speeds up the binary conversions, ``bridge._decoder`` the decoding of
JSON into the Structs. Both are optional: when Cython or a C compiler is missing, or the compile
fails, the package installs without them and the pure-Python path (which gives identical results)
is used.
"""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import sys

from setuptools import Extension, setup


def _size_flags() -> tuple[list[str], list[str]]:
    """Compile and link flags that keep debug information out of the extensions (a wheel's .so
    files were 1.2 and 1.7 MB, mostly DWARF): ``-g0`` and the linker's ``-s`` (strip). Left off
    when the builder asks for debug information in ``CFLAGS`` (``-g``, as fuzz/asan.sh does, so
    that sanitizer reports name source lines), and outside Linux (other linkers spell it otherwise).
    """
    if not sys.platform.startswith("linux"):
        return [], []
    wanted = shlex.split(os.environ.get("CFLAGS", ""))
    if any(flag.startswith("-g") and flag != "-g0" for flag in wanted):
        return [], []
    return ["-g0"], ["-s"]


def _extensions() -> list[Extension]:
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("warning: Cython is not installed; the accelerators are not built", file=sys.stderr)
        return []
    compile_args, link_args = _size_flags()
    modules = [
        Extension(f"bridge.{name}", [f"bridge/{name}.pyx"], extra_compile_args=compile_args, extra_link_args=link_args)
        for name in ("_speedups", "_decoder")
    ]
    try:
        # The generated C goes under build/, not into the package (nor the wheel).
        extensions = cythonize(modules, build_dir="build", compiler_directives={"language_level": 3}, quiet=True)
    except Exception as error:  # a Cython error must not fail the install: the pure path remains
        print(f"warning: the accelerators are not built: {error}", file=sys.stderr)
        return []
    for built in extensions:
        built.optional = True  # a failed compile is a warning (cythonize does not carry the flag over)
    return extensions


# A link or image whose target is a path in the repository: `](path)`, not `](https://...)` or `](#...)`.
_RELATIVE_LINK = re.compile(r"(!?)\[([^\]]*)\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s]+)\)", re.IGNORECASE)


def _long_description() -> str:
    """README.md for the package index, which resolves no relative link: an image of the repository
    (such as a chart) is left out, named as a path in
    the sdist, and a relative link becomes its text and path."""
    readme = pathlib.Path(__file__).with_name("README.md").read_text(encoding="utf-8")

    def replace(match: re.Match[str]) -> str:
        image, text, target = match.groups()
        if image:
            return f"*({text}: `{target}` in the source distribution)*"
        return f"{text} (`{target}`)"

    return _RELATIVE_LINK.sub(replace, readme)


setup(
    ext_modules=_extensions(),
    long_description=_long_description(),
    long_description_content_type="text/markdown",
)
