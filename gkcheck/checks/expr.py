"""Safe expression language for YAML rules.

    expr = compile_expr("published <= date(year + 1, 3, 31)")
    expr.names                      # frozenset({'published', 'year'})
    expr.evaluate({"published": d, "year": 2023})

Sources are parsed with ``ast`` (mode="eval") and every node is checked
against an allow-list at compile time; evaluation walks the checked tree
itself, so Python's eval/compile is never used.  All numbers are Decimal
(float literals are read from their source text), computed in a private
50-digit context.  ``//`` and ``%`` follow Decimal semantics (truncate
towards zero).  ``and``/``or`` always return a bool.  Function names and
variable names are separate, so ``year(d)`` and a variable ``year`` coexist.
None means missing data: using it in arithmetic, comparisons, truth tests,
subscripts or function arguments (except defined()) raises MissingValue.
"""
from __future__ import annotations

import ast
import datetime
import decimal
import inspect
import operator
import warnings
from collections.abc import Mapping
from decimal import Decimal

__all__ = ["CONTEXT", "FUNCTIONS", "Expr", "ExprError", "ExprEvalError",
           "MissingValue", "compile_expr"]

CONTEXT = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_EVEN, traps=[
    decimal.DivisionByZero, decimal.InvalidOperation, decimal.Overflow])
MAX_SOURCE = 10_000   # characters
MAX_DEPTH = 100       # nesting levels; keeps the recursive evaluator far from the recursion limit


class _PositionedError(ValueError):
    def __init__(self, message: str, line: int | None = None, col: int | None = None):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col

    def __str__(self) -> str:
        if self.col is None:
            return self.message
        where = f"column {self.col}" if self.line in (None, 1) else f"line {self.line}, column {self.col}"
        return f"{where}: {self.message}"


class ExprError(_PositionedError):
    """The source is not a valid expression (raised by compile_expr)."""


class ExprEvalError(_PositionedError):
    """Evaluation failed: unknown name, division by zero, wrong types, ..."""


class MissingValue(ExprEvalError):
    """A value needed by the expression is None; ``.name`` is its source text."""

    def __init__(self, name: str, line: int | None = None, col: int | None = None):
        super().__init__(f"missing value: '{name}' is None", line, col)
        self.name = name


# -- function table ---------------------------------------------------------

def _num(value):
    """Normalise numbers coming from the environment to Decimal."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # shortest repr: 0.1 -> Decimal("0.1")
    return value


def _number(x) -> Decimal:
    x = _num(x)
    if not isinstance(x, Decimal):
        raise TypeError(f"expected a number, got {type(x).__name__}")
    return x


def _whole(x) -> int:
    x = _number(x)
    if x != x.to_integral_value():
        raise ValueError(f"expected a whole number, got {x}")
    return int(x)


def _as_date(d) -> datetime.date:
    if isinstance(d, datetime.datetime):
        return d.date()
    if not isinstance(d, datetime.date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    return d


def _items(args):  # min/max accept one list or several arguments
    items = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    if not items:
        raise ValueError("needs at least one value")
    return [_num(i) for i in items]


def _round(x, n=0):
    # 四舍五入: half-up, as in Chinese statistical practice
    return _number(x).quantize(Decimal(1).scaleb(-_whole(n)), rounding=decimal.ROUND_HALF_UP)


FUNCTIONS = {
    "abs": lambda x: abs(_number(x)),
    "min": lambda *xs: min(_items(xs)),                  # min(a, b, ...) or min([a, b, ...])
    "max": lambda *xs: max(_items(xs)),
    "sum": lambda xs: sum((_number(x) for x in xs), Decimal(0)),  # sum of a list
    "len": lambda xs: Decimal(len(xs)),
    "round": _round,                                     # round(x, n=0), half-up
    "date": lambda y, m, d: datetime.date(_whole(y), _whole(m), _whole(d)),
    "days": lambda d1, d2: Decimal((_as_date(d2) - _as_date(d1)).days),  # d2 - d1 in days
    "year": lambda d: Decimal(_as_date(d).year),
    "any": lambda xs: any(bool(x) for x in xs),
    "all": lambda xs: all(bool(x) for x in xs),
    "defined": lambda x: x is not None,                  # the only function that accepts None
}
_SIGNATURES = {name: inspect.signature(f) for name, f in FUNCTIONS.items()}
_ITEMWISE = {"min", "max", "sum", "any", "all"}  # None inside their list argument is missing data too

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge,
            ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}
_UNARY = {ast.Not, ast.USub, ast.UAdd}
_OP_TEXT = {ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
            ast.LShift: "<<", ast.RShift: ">>", ast.Invert: "~", ast.Is: "is", ast.IsNot: "is not"}
_FRIENDLY = {ast.Attribute: "attribute access", ast.Lambda: "lambda", ast.ListComp: "comprehension",
             ast.SetComp: "comprehension", ast.DictComp: "comprehension", ast.GeneratorExp: "comprehension",
             ast.NamedExpr: "assignment expression (:=)", ast.JoinedStr: "f-string",
             ast.Starred: "starred expression", ast.Dict: "dict literal", ast.Set: "set literal",
             ast.Slice: "slice", ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield"}


def _index(node):
    """The constant str/int subscript index of ``node``, else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1, node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sign * node.value
    if sign == 1 and isinstance(node, ast.Constant) and type(node.value) is str:
        return node.value
    return None


class Expr:
    """A checked expression; build it with compile_expr()."""

    def __init__(self, source: str, text: str, tree: ast.Expression):
        self.source, self.tree = source, tree
        self._shift = len(source) - len(text)  # leading blanks stripped before parsing
        self._lines = text.encode().splitlines(keepends=True) or [b""]  # \n, \r, \r\n only, like ast
        self.names: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"

    def _pos(self, node) -> tuple[int, int]:
        line = node.lineno
        col = len(self._lines[line - 1][:node.col_offset].decode(errors="replace")) + 1  # bytes -> chars
        return line, col + (self._shift if line == 1 else 0)

    def _error(self, cls, node, message, quote=True):
        return cls(f"{message} ('{self._segment(node)}')" if quote else message, *self._pos(node))

    def _segment(self, node, limit=60) -> str:
        lines = self._lines[node.lineno - 1:node.end_lineno]
        lines[-1] = lines[-1][:node.end_col_offset]
        lines[0] = lines[0][node.col_offset:]
        text = " ".join(b"".join(lines).decode(errors="replace").split())  # one line
        return text if len(text) <= limit else text[:limit - 3] + "..."

    def evaluate(self, env: Mapping[str, object]) -> object:
        with decimal.localcontext(CONTEXT):
            return _Run(self, env).ev(self.tree.body)


def compile_expr(source: str) -> Expr:
    """Parse and check ``source``; raise ExprError for anything not allowed."""
    if not isinstance(source, str):
        raise ExprError(f"expression must be a string, not {type(source).__name__}")
    if len(source) > MAX_SOURCE:
        raise ExprError(f"expression is longer than {MAX_SOURCE} characters")
    text = source.lstrip(" \t")  # ast rejects leading indentation
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. invalid escape sequences
            tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        line, col = exc.lineno or 1, exc.offset or 0
        if col < 1:  # CPython reports 0 at end of input
            col = len((exc.text or "").rstrip("\r\n")) + 1
        col += len(source) - len(text) if line == 1 else 0
        raise ExprError(f"syntax error: {exc.msg}", line, col) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, surrogates, deep nesting
        raise ExprError(f"cannot parse expression: {type(exc).__name__}") from None
    expr = Expr(source, text, tree)
    checker = _Checker(expr)
    checker.check(expr.tree.body, 0)
    expr.names = frozenset(checker.names)
    return expr


class _Checker:
    """Compile-time allow-list walk; also turns numeric literals into Decimal."""

    def __init__(self, expr: Expr):
        self.expr, self.names = expr, set()

    def fail(self, node, message, quote=True):
        raise self.expr._error(ExprError, node, message, quote)

    def check(self, node, depth):
        if depth > MAX_DEPTH:
            self.fail(node, f"expression is nested more than {MAX_DEPTH} levels deep", quote=False)
        method = _CHECKS.get(type(node))
        if method is None:
            self.fail(node, f"{_FRIENDLY.get(type(node), type(node).__name__)} is not allowed")
        for child in method(self, node):
            self.check(child, depth + 1)

    def constant(self, node):
        value = node.value
        if type(value) is float:  # exact value from the source text, never via float
            try:
                node.value = Decimal(self.expr._segment(node, limit=MAX_SOURCE).replace("_", ""))
            except (decimal.DecimalException, ValueError):
                self.fail(node, "invalid number")
        elif type(value) is int:
            node.value = Decimal(value)
        elif value is not None and type(value) not in (bool, str):
            self.fail(node, f"{type(value).__name__} literal is not allowed")
        return ()

    def name(self, node):
        if node.id.startswith("__"):
            self.fail(node, "names starting with '__' are not allowed")
        self.names.add(node.id)
        return ()

    def ops(self, node, ops, allowed):
        for op in ops:
            if type(op) not in allowed:
                hint = "; use defined(x)" if type(op) in (ast.Is, ast.IsNot) else ""
                self.fail(node, f"operator '{_OP_TEXT.get(type(op), type(op).__name__)}' is not allowed{hint}")

    def subscript(self, node):
        if _index(node.slice) is None:
            self.fail(node, "subscript index must be a constant string or integer")
        return (node.value,)

    def call(self, node):
        func = node.func
        if not isinstance(func, ast.Name):
            self.fail(node, "only calls of plain function names are allowed")
        if func.id not in FUNCTIONS:
            self.fail(node, f"unknown function '{func.id}' (allowed: {', '.join(sorted(FUNCTIONS))})", quote=False)
        if node.keywords:
            self.fail(node, "keyword arguments are not allowed")
        if not any(isinstance(a, ast.Starred) for a in node.args):  # Starred is rejected below
            try:
                _SIGNATURES[func.id].bind(*node.args)
            except TypeError as exc:
                self.fail(node, f"wrong arguments for {func.id}(): {exc}")
        return node.args


_CHECKS = {
    ast.Constant: _Checker.constant, ast.Name: _Checker.name,
    ast.BoolOp: lambda self, n: n.values,
    ast.UnaryOp: lambda self, n: self.ops(n, [n.op], _UNARY) or [n.operand],
    ast.BinOp: lambda self, n: self.ops(n, [n.op], _BINARY) or [n.left, n.right],
    ast.Compare: lambda self, n: self.ops(n, n.ops, _COMPARE) or [n.left, *n.comparators],
    ast.IfExp: lambda self, n: (n.test, n.body, n.orelse),
    ast.List: lambda self, n: n.elts, ast.Tuple: lambda self, n: n.elts,
    ast.Subscript: _Checker.subscript, ast.Call: _Checker.call,
}


class _Run:
    """One evaluation of a checked tree against an environment."""

    def __init__(self, expr: Expr, env: Mapping[str, object]):
        self.expr, self.env = expr, env

    def error(self, node, message, quote=True):
        return self.expr._error(ExprEvalError, node, message, quote)

    def ev(self, node):
        try:
            return _EVAL[type(node)](self, node)
        except ExprEvalError:
            raise
        except (ArithmeticError, TypeError, ValueError, LookupError) as exc:  # from operators and FUNCTIONS
            # decimal's own messages are unreadable ("[<class 'decimal.Overflow'>]")
            detail = str(exc) if not isinstance(exc, decimal.DecimalException) else ""
            raise self.error(node, detail or f"arithmetic error ({type(exc).__name__})") from exc

    def need(self, value, node):
        if value is None:
            raise MissingValue(self.expr._segment(node), *self.expr._pos(node))
        return value

    def truth(self, node) -> bool:
        return bool(self.need(self.ev(node), node))

    def number(self, node) -> Decimal:
        value = self.need(self.ev(node), node)
        if not isinstance(value, Decimal):
            raise self.error(node, f"expected a number, got {type(value).__name__}")
        return value

    def name(self, node):
        if node.id not in self.env:
            raise self.error(node, f"unknown name '{node.id}'", quote=False)
        return _num(self.env[node.id])

    def boolop(self, node):
        stop = isinstance(node.op, ast.Or)  # 'or' stops at the first true value, 'and' at the first false
        return stop if any(self.truth(v) == stop for v in node.values) else not stop

    def unaryop(self, node):
        if isinstance(node.op, ast.Not):
            return not self.truth(node.operand)
        value = self.number(node.operand)
        return -value if isinstance(node.op, ast.USub) else +value

    def binop(self, node):
        left, right = self.number(node.left), self.number(node.right)
        if right == 0 and isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod)):
            raise self.error(node, "division by zero")
        return _BINARY[type(node.op)](left, right)

    def compare(self, node):
        left = self.need(self.ev(node.left), node.left)
        for op, right_node in zip(node.ops, node.comparators):  # chained: a < b < c
            right = self.need(self.ev(right_node), right_node)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def subscript(self, node):
        container, key = self.need(self.ev(node.value), node.value), _index(node.slice)
        try:
            return _num(container[key])
        except (LookupError, TypeError):
            raise self.error(node, f"no item {key!r} in '{self.expr._segment(node.value)}'", quote=False) from None

    def call(self, node):
        name = node.func.id
        args = [self.ev(a) for a in node.args]
        if name != "defined":
            for arg_node, value in zip(node.args, args):
                self.need(value, arg_node)
                if name in _ITEMWISE and isinstance(value, (list, tuple)) and None in value:
                    i = value.index(None)
                    if isinstance(arg_node, (ast.List, ast.Tuple)):
                        self.need(None, arg_node.elts[i])
                    raise MissingValue(f"{self.expr._segment(arg_node)}[{i}]", *self.expr._pos(arg_node))
        return _num(FUNCTIONS[name](*args))  # errors are positioned by ev()


_EVAL = {
    ast.Constant: lambda self, n: n.value, ast.Name: _Run.name,
    ast.BoolOp: _Run.boolop, ast.UnaryOp: _Run.unaryop, ast.BinOp: _Run.binop,
    ast.Compare: _Run.compare, ast.Subscript: _Run.subscript, ast.Call: _Run.call,
    ast.IfExp: lambda self, n: self.ev(n.body) if self.truth(n.test) else self.ev(n.orelse),
    ast.List: lambda self, n: [self.ev(e) for e in n.elts],
    ast.Tuple: lambda self, n: [self.ev(e) for e in n.elts],
}
