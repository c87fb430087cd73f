"""Tests for gkcheck.checks.expr, the safe expression language used by YAML rules."""
import ast
import datetime
import decimal
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gkcheck.checks import expr as expr_mod
from gkcheck.checks.expr import (
    CONTEXT,
    FUNCTIONS,
    ExprError,
    ExprEvalError,
    MissingValue,
    compile_expr,
)

D = Decimal


def ev(source, **env):
    return compile_expr(source).evaluate(env)


# -- allowed features ----------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("1 + 2 * 3", D(7)),
    ("(1 + 2) * 3", D(9)),
    ("7 - 10", D(-3)),
    ("1 / 4", D("0.25")),
    ("7 // 2", D(3)),
    ("7 % 3", D(1)),
    ("-7 // 2", D(-3)),          # Decimal semantics: truncates towards zero
    ("-(3)", D(-3)),
    ("+2", D(2)),
    ("0.1 + 0.2", D("0.3")),     # exact, not 0.30000000000000004
    ("1e3", D("1E+3")),
    ("1_000.5", D("1000.5")),
    ("0x10", D(16)),
    ("'中文'", "中文"),
    ("True", True),
    ("None", None),
    ("1 < 2 < 3", True),
    ("1 < 3 < 2", False),
    ("1 == 1.0", True),
    ("1 != 2", True),
    ("2 >= 2 > 1 <= 1", True),
    ("'a' in ['a', 'b']", True),
    ("3 not in (1, 2)", True),
    ("not 0", True),
    ("1 and 0", False),
    ("0 or 2", True),            # and/or always return bool
    ("1 if 2 > 1 else 2", D(1)),
    ("[1, 2][1]", D(2)),
    ("[1, 2][-1]", D(2)),
    ("(1, 2)", [D(1), D(2)]),
])
def test_literals_and_operators(source, expected):
    result = ev(source)
    assert result == expected and type(result) is type(expected)


def test_float_literal_comes_from_source_text():
    assert ev("0.1") == D("0.1")
    assert str(ev("2.50")) == "2.50"
    # 1e400 would be inf as a float; the source text is read exactly instead
    assert ev("1e400") == D("1e400")


def test_precision_is_50_digits_and_global_context_untouched():
    before = decimal.getcontext().prec
    assert ev("1 / 3") == CONTEXT.divide(D(1), D(3))
    assert len(str(ev("1 / 3"))) == 52  # "0." + 50 digits
    assert decimal.getcontext().prec == before


def test_names_and_env_normalisation():
    e = compile_expr("a + b['x'] * c")
    assert e.names == frozenset({"a", "b", "c"})
    assert e.evaluate({"a": 1, "b": {"x": 0.1}, "c": D(3)}) == D("1.3")


def test_function_names_are_not_variables():
    e = compile_expr("published <= date(year + 1, 3, 31) and year(published) == year")
    assert e.names == frozenset({"published", "year"})
    assert e.evaluate({"published": datetime.date(2024, 3, 31), "year": 2024}) is True
    assert e.evaluate({"published": datetime.date(2024, 3, 31), "year": 2023}) is False
    assert compile_expr("published <= date(year + 1, 3, 31)").evaluate(
        {"published": datetime.date(2024, 3, 31), "year": 2023}) is True


def test_table_balance_rule():
    src = ("T2['received']['total'] + T2['carried_over']['total'] == "
           "T2['total_results']['total'] + T2['carried_forward']['total']")
    t2 = {"received": {"total": 10}, "carried_over": {"total": 2},
          "total_results": {"total": 9}, "carried_forward": {"total": 3}}
    assert ev(src, T2=t2) is True
    t2["carried_forward"]["total"] = 4
    assert ev(src, T2=t2) is False


def test_subscripts():
    env = {"T": {"a": [1, 2, {"b": "x"}], 3: "int key"}}
    assert ev("T['a'][0]", **env) == D(1)
    assert ev("T['a'][-1]['b']", **env) == "x"
    assert ev("T[3]", **env) == "int key"
    with pytest.raises(ExprEvalError, match=r"no item 'zz' in 'T'"):
        ev("T['zz']", **env)
    with pytest.raises(ExprEvalError, match="no item 5"):
        ev("T['a'][5]", **env)


@pytest.mark.parametrize("source, expected", [
    ("abs(-2.5)", D("2.5")),
    ("min(3, 1, 2)", D(1)),
    ("max([3, 1, 2])", D(3)),
    ("sum([1, 2, 3.5])", D("6.5")),
    ("sum([])", D(0)),
    ("len([1, 2])", D(2)),
    ("len('中文')", D(2)),
    ("round(2.345, 2)", D("2.35")),   # half-up (四舍五入), not banker's rounding
    ("round(2.5)", D(3)),
    ("round(1234, -2)", D("1.2E+3")),
    ("date(2024, 2, 29)", datetime.date(2024, 2, 29)),
    ("days(date(2024, 1, 1), date(2024, 3, 1))", D(60)),
    ("days(date(2024, 3, 1), date(2024, 1, 1))", D(-60)),
    ("year(date(2023, 5, 6))", D(2023)),
    ("any([0, 1])", True),
    ("all([1, 0])", False),
    ("defined(None)", False),
    ("defined(0)", True),
])
def test_functions(source, expected):
    result = ev(source)
    assert result == expected and type(result) is type(expected)


def test_functions_table_is_fixed():
    assert set(FUNCTIONS) == {"abs", "min", "max", "sum", "len", "round", "date", "days",
                              "year", "any", "all", "defined"}


def test_date_functions_with_env():
    env = {"published": datetime.date(2024, 1, 31), "deadline": datetime.datetime(2024, 1, 1, 8, 0)}
    assert ev("days(deadline, published)", **env) == D(30)
    assert ev("year(published) - 1", **env) == D(2023)
    assert ev("published > date(2024, 1, 30)", **env) is True
    with pytest.raises(ExprEvalError, match="day is out of range"):
        ev("date(2023, 2, 29)")
    with pytest.raises(ExprEvalError, match="whole number"):
        ev("date(2023.5, 2, 1)")
    with pytest.raises(ExprEvalError, match="expected a date"):
        ev("year(2023)")


# -- missing values, runtime errors ------------------------------------------------

@pytest.mark.parametrize("source, env, name", [
    ("x + 1", {"x": None}, "x"),
    ("1 - x", {"x": None}, "x"),
    ("-x", {"x": None}, "x"),
    ("x > 1", {"x": None}, "x"),
    ("1 < 2 < x", {"x": None}, "x"),
    ("x == None", {"x": None}, "x"),
    ("not x", {"x": None}, "x"),
    ("x and True", {"x": None}, "x"),
    ("1 if x else 2", {"x": None}, "x"),
    ("T['a']['b'] * 2", {"T": {"a": {"b": None}}}, "T['a']['b']"),
    ("T['a']['b']", {"T": {"a": None}}, "T['a']"),
    ("abs(x)", {"x": None}, "x"),
    ("sum([a, b])", {"a": 1, "b": None}, "b"),
    ("max(a, b)", {"a": 1, "b": None}, "b"),
    ("sum(L)", {"L": [1, None]}, "L[1]"),
    ("year(d)", {"d": None}, "d"),
])
def test_missing_value(source, env, name):
    with pytest.raises(MissingValue) as info:
        compile_expr(source).evaluate(env)
    assert info.value.name == name
    assert isinstance(info.value, ExprEvalError) and isinstance(info.value, ValueError)
    assert f"'{name}' is None" in str(info.value)


def test_none_is_fine_where_not_used():
    assert ev("defined(x)", x=None) is False
    assert ev("defined(x) and x > 1", x=None) is False
    assert ev("x > 1 if defined(x) else True", x=None) is True
    assert ev("True or x", x=None) is True
    assert ev("x", x=None) is None
    assert ev("len([x, 1])", x=None) == D(2)


@pytest.mark.parametrize("source", ["1 / 0", "a / b", "1 // (b - b)", "5 % 0", "0 / 0.0"])
def test_division_by_zero(source):
    with pytest.raises(ExprEvalError, match="division by zero") as info:
        ev(source, a=D(1), b=D(0))
    assert not isinstance(info.value, MissingValue)
    assert info.value.col == 1


def test_runtime_errors_are_expr_eval_errors():
    with pytest.raises(ExprEvalError, match="unknown name 'nope'") as info:
        ev("1 + nope")
    assert info.value.col == 5
    with pytest.raises(ExprEvalError, match="expected a number, got str"):
        ev("'a' + 1")
    with pytest.raises(ExprEvalError, match="expected a number, got date"):
        ev("date(2020, 1, 1) - date(2019, 1, 1)")
    with pytest.raises(ExprEvalError, match="not supported"):
        ev("1 < 'a'")
    with pytest.raises(ExprEvalError, match="Overflow"):
        ev("1e999999 * 1e999999")
    with pytest.raises(ExprEvalError, match="at least one"):
        ev("min([])")


# -- compile-time rejection and positions --------------------------------------------

@pytest.mark.parametrize("source, col, fragment", [
    ("a + b.c", 5, "attribute access is not allowed ('b.c')"),
    ("'中文' + a.b", 8, "attribute access"),                  # columns count characters, not bytes
    ("  a.b", 3, "attribute access"),                         # leading blanks are tolerated
    ("x.__class__", 1, "attribute access"),
    ("__import__('os')", 1, "unknown function '__import__'"),
    ("__builtins__", 1, "names starting with '__'"),
    ("1 + open('f')", 5, "unknown function 'open'"),
    ("eval('1')", 1, "unknown function 'eval'"),
    ("(abs)(1)(2)", 1, "only calls of plain function names"),
    ("round(1, n=2)", 1, "keyword arguments"),
    ("sum(*x)", 5, "starred expression"),
    ("date(2020, 1)", 1, "wrong arguments for date()"),
    ("len()", 1, "wrong arguments for len()"),
    ("lambda: 1", 1, "lambda is not allowed"),
    ("[x for x in y]", 1, "comprehension"),
    ("sum(x for x in y)", 4, "comprehension"),
    ("{k: 1 for k in y}", 1, "comprehension"),
    ("(y := 1)", 2, "assignment expression"),
    ("f'{a}'", 1, "f-string"),
    ("2 ** 10", 1, "operator '**' is not allowed"),
    ("a @ b", 1, "operator '@'"),
    ("a | b", 1, "operator '|'"),
    ("~a", 1, "operator '~'"),
    ("a is None", 1, "operator 'is' is not allowed; use defined(x)"),
    ("{'a': 1}", 1, "dict literal"),
    ("{1}", 1, "set literal"),
    ("x[1:2]", 1, "subscript index must be a constant"),
    ("x[y]", 1, "subscript index must be a constant"),
    ("x[True]", 1, "subscript index must be a constant"),
    ("b'abc'", 1, "bytes literal"),
    ("1j", 1, "complex literal"),
    ("...", 1, "ellipsis literal"),
    ("a +", 4, "syntax error"),
    ("a b", 3, "syntax error"),
    ("(1 +\n 2 +\n a.b)", 2, "attribute access"),
    ("(1 +\r\n a.b)", 2, "attribute access"),
    ("'a\u2028b' + x.y", 9, "attribute access"),             # only \n, \r, \r\n end lines

])
def test_rejected_with_position(source, col, fragment):
    with pytest.raises(ExprError) as info:
        compile_expr(source)
    err = info.value
    assert fragment.lower() in err.message.lower()
    assert err.col == col, str(err)
    assert isinstance(err, ValueError)
    assert "\n" not in str(err)


def test_error_str_format():
    with pytest.raises(ExprError) as info:
        compile_expr("1 + 2 + x.y")
    assert str(info.value) == "column 9: attribute access is not allowed ('x.y')"
    assert (info.value.line, info.value.col) == (1, 9)
    with pytest.raises(ExprError) as info:
        compile_expr("(1 +\n a.b)")
    assert str(info.value).startswith("line 2, column 2: ")


@pytest.mark.parametrize("source", ["", "   ", "a\x00", "\ud800", "-" * 100_000 + "1",
                                    "(" * 500 + ")" * 500, "x" * 20_000, "a\n+ b"])
def test_pathological_sources(source):
    with pytest.raises(ExprError):
        compile_expr(source)


def test_nesting_limit():
    compile_expr("1" + " + 1" * 90)
    with pytest.raises(ExprError, match="nested more than"):
        compile_expr("1" + " + 1" * 200)


def test_not_a_string():
    with pytest.raises(ExprError):
        compile_expr(123)


# -- hypothesis: arithmetic agrees with Decimal ---------------------------------------

decimals = st.decimals(min_value=-10**6, max_value=10**6, places=4,
                       allow_nan=False, allow_infinity=False)


def _leaf():
    literal = decimals.map(lambda d: ("leaf", f"({d:f})" if d < 0 else f"{d:f}", d))
    variable = st.sampled_from("abcde").map(lambda n: ("var", n))
    return literal | variable


def _tree(children):
    binary = st.tuples(st.just("bin"), st.sampled_from("+-*/"), children, children)
    return binary | st.tuples(st.just("neg"), children)


arith_trees = st.recursive(_leaf(), _tree, max_leaves=12)


def _render(tree):
    kind = tree[0]
    if kind == "bin":
        return f"({_render(tree[2])} {tree[1]} {_render(tree[3])})"
    if kind == "neg":
        return f"-{_render(tree[1])}"
    return tree[1]


def _expected(tree, env):
    """Direct Decimal arithmetic under the same context; None if some divisor is zero."""
    kind = tree[0]
    if kind == "leaf":
        return tree[2]
    if kind == "var":
        return env[tree[1]]
    if kind == "neg":
        inner = _expected(tree[1], env)
        return None if inner is None else CONTEXT.minus(inner)
    left, right = _expected(tree[2], env), _expected(tree[3], env)
    if left is None or right is None or (tree[1] == "/" and right == 0):
        return None
    op = {"+": CONTEXT.add, "-": CONTEXT.subtract, "*": CONTEXT.multiply, "/": CONTEXT.divide}
    return op[tree[1]](left, right)


@settings(max_examples=300)
@given(arith_trees, st.fixed_dictionaries({n: decimals for n in "abcde"}))
def test_arithmetic_matches_decimal(tree, env):
    source = _render(tree)
    expected = _expected(tree, env)
    expr = compile_expr(source)
    if expected is None:
        with pytest.raises(ExprEvalError, match="division by zero"):
            expr.evaluate(env)
    else:
        result = expr.evaluate(env)
        assert result == expected and str(result) == str(expected), source


@settings(max_examples=200)
@given(arith_trees, decimals.filter(lambda d: d != 0))
def test_division_by_nonzero_matches_decimal(tree, divisor):
    env = dict.fromkeys("abcde", D("1.5"))
    source = f"({_render(tree)}) / {divisor:f}" if divisor > 0 else f"({_render(tree)}) / ({divisor:f})"
    numerator = _expected(tree, env)
    assume(numerator is not None)
    assert compile_expr(source).evaluate(env) == CONTEXT.divide(numerator, divisor)


# -- hypothesis: forbidden constructs are always rejected at compile time --------------

allowed_atoms = st.sampled_from(["x", "1", "0.5", "'s'", "T['a']", "date(2020, 1, 1)", "[1, 2]"])


def _forbidden(e):
    return st.one_of(
        st.tuples(e, st.sampled_from(["real", "__class__", "upper", "__globals__"])).map(lambda t: f"({t[0]}).{t[1]}"),
        st.sampled_from(["__import__", "__builtins__", "__class__", "__dict__"]),
        e.map(lambda s: f"(lambda: {s})"),
        e.map(lambda s: f"(lambda q: q)({s})"),
        e.map(lambda s: f"[q for q in {s}]"),
        e.map(lambda s: f"sum(q for q in {s})"),
        e.map(lambda s: f"{{q: 1 for q in {s}}}"),
        e.map(lambda s: f"{{q for q in {s}}}"),
        st.tuples(st.sampled_from(["open", "eval", "exec", "compile", "getattr", "globals",
                                   "__import__", "print", "type", "vars", "breakpoint"]), e)
          .map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(e, e).map(lambda t: f"({t[0]}) ** ({t[1]})"),
        e.map(lambda s: f'f"{{{s}}}"'),
        e.map(lambda s: f"(w := {s})"),
        e.map(lambda s: f"sum(*{s})"),
        e.map(lambda s: f"round(1, n={s})"),
        e.map(lambda s: f"abs({s}).__class__"),
        e.map(lambda s: f"x[{s}:1]"),
        e.map(lambda s: f"({s}) is None"),
        e.map(lambda s: f"({s})()"),
    )


def _wrap(inner):
    return st.one_of(
        st.just(inner),
        allowed_atoms.map(lambda a: f"{a} + ({inner})"),
        allowed_atoms.map(lambda a: f"[{a}, {inner}]"),
        st.just(f"abs({inner})"),
        allowed_atoms.map(lambda a: f"({inner}) if {a} else {a}"),
        allowed_atoms.map(lambda a: f"{a} if ({inner}) else {a}"),
        st.just(f"not ({inner})"),
        allowed_atoms.map(lambda a: f"{a} == ({inner}) and {a}"),
        st.just(f"defined({inner})"),
        st.just(f"[1, 2][0] < ({inner}) < 3"),
    )


forbidden_sources = _forbidden(allowed_atoms).flatmap(_wrap).flatmap(_wrap)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(forbidden_sources)
def test_forbidden_constructs_rejected(source):
    ast.parse(source, mode="eval")  # the grammar builds valid Python, so the allow-list must reject it
    with mock.patch.object(expr_mod._Run, "ev", side_effect=AssertionError("evaluated!")):
        with pytest.raises(ExprError) as info:
            compile_expr(source)
    assert "syntax error" not in info.value.message
    assert info.value.col is not None and info.value.col >= 1


ALLOWED_NODES = {ast.Expression, ast.Constant, ast.Name, ast.Load, ast.BoolOp, ast.And, ast.Or,
                 ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.BinOp, ast.Add, ast.Sub, ast.Mult,
                 ast.Div, ast.FloorDiv, ast.Mod, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE,
                 ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.IfExp, ast.List, ast.Tuple, ast.Subscript,
                 ast.Call}


def _assert_only_allowed(expr):
    for node in ast.walk(expr.tree):
        assert type(node) in ALLOWED_NODES, ast.dump(node)
        if isinstance(node, ast.Name):
            assert not node.id.startswith("__")
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS
            assert not node.keywords
        if isinstance(node, ast.Subscript):
            index = node.slice.operand if isinstance(node.slice, ast.UnaryOp) else node.slice
            assert isinstance(index, ast.Constant) and type(index.value) in (int, str)
        if isinstance(node, ast.Constant):
            assert node.value is None or type(node.value) in (bool, str, int, Decimal)


def _compile_or_reject(source):
    try:
        expr = compile_expr(source)
    except ExprError as err:
        assert isinstance(err.message, str) and "\n" not in str(err)
        return
    _assert_only_allowed(expr)
    # evaluating anything that compiled may fail, but only with ExprEvalError
    try:
        expr.evaluate({name: D(1) for name in expr.names})
    except ExprEvalError:
        pass


@settings(max_examples=500)
@given(st.text())
def test_random_text_compiles_safely_or_raises_expr_error(source):
    _compile_or_reject(source)


TOKENS = ["x", "y", "1", "0", "0.5", "'k'", "'中文'", "(", ")", "[", "]", "+", "-", "*", "/", "//",
          "%", "**", ".", "__class__", " and ", " or ", "not ", " if ", " else ", ",", "==", "<",
          ">=", " in ", " is ", "lambda", ":", " for ", "open", "sum", "date", "abs", "round",
          "defined", "min", "f'", "{", "}", "=", ":=", "@", "~", "None", "True", "*", "\n", " "]


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(TOKENS), max_size=14).map("".join))
def test_token_soup_compiles_safely_or_raises_expr_error(source):
    _compile_or_reject(source)
