"""`exceptions.raise_compiler_error` for sqlfluff: a macro's error stops the templating of the file, as in dbt."""

from __future__ import annotations


class CompilationError(Exception):
    pass


def raise_compiler_error(message: str) -> None:
    raise CompilationError(message)
