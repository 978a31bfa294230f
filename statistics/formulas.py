"""Formulas of computed indicators, e.g. ``R18 / D_POPULATION`` or ``R42 / D_GDP * 100``.

A formula is parsed with ``ast`` and may hold only numbers, indicator codes, + − × ÷ and parentheses; nothing is
ever passed to ``eval``. Arithmetic is in ``Decimal``. A missing input or a zero divisor gives no value (None),
not an error: the return simply cannot show that ratio yet.

Formulas may read other computed indicators (ratios of ratios), so a set of them is evaluated in dependency order
(``graphlib.TopologicalSorter``), each once; formulas that read each other in a circle are refused with the codes of
the circle (``FormulaCycle``), never evaluated round and round.
"""

import ast
from decimal import Decimal, DivisionByZero, InvalidOperation
from graphlib import CycleError, TopologicalSorter

from django.utils.translation import gettext as _

_OPERATORS = {ast.Add: "__add__", ast.Sub: "__sub__", ast.Mult: "__mul__", ast.Div: "__truediv__"}


class FormulaError(ValueError):
    pass


class FormulaCycle(FormulaError):
    """Formulas that read each other in a circle; ``codes`` is the circle, its first code repeated at the end."""

    def __init__(self, codes: list[str]):
        self.codes = list(codes)
        super().__init__(
            _("The formulas of these indicators read each other in a circle: %(cycle)s.")
            % {"cycle": " → ".join(self.codes)}
        )


def parse_formula(text: str) -> ast.Expression:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise FormulaError(_("The formula “%(formula)s” cannot be read.") % {"formula": text}) from error
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.BinOp | ast.Name | ast.Load) or type(node) in _OPERATORS:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
            continue
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            continue
        if isinstance(node, ast.USub):
            continue
        raise FormulaError(
            _("The formula “%(formula)s” may hold only numbers, indicator codes, + - * / and parentheses.")
            % {"formula": text}
        )
    return tree


def inputs_of(text: str) -> list[str]:
    """The indicator codes a formula reads, in order of appearance."""
    names = [node.id for node in ast.walk(parse_formula(text)) if isinstance(node, ast.Name)]
    return list(dict.fromkeys(names))


def evaluate(text: str, values: dict) -> Decimal | None:
    """The formula's value over ``values`` (code → Decimal or None); None when an input is missing or zero-divided."""

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            value = values.get(node.id)
            if value is None:
                raise LookupError(node.id)
            return Decimal(value)
        if isinstance(node, ast.UnaryOp):
            return -walk(node.operand)
        left, right = walk(node.left), walk(node.right)
        return getattr(left, _OPERATORS[type(node.op)])(right)

    try:
        return walk(parse_formula(text))
    except (LookupError, DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None


def evaluation_order(formulas: dict[str, str]) -> list[str]:
    """The codes of ``formulas`` (code → formula) in an order where every formula comes after the computed codes it
    reads; codes it reads that have no formula are inputs. Raises ``FormulaCycle`` naming a circle."""
    graph = {code: [name for name in inputs_of(text) if name in formulas] for code, text in formulas.items()}
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        circle = list(reversed(error.args[1]))  # graphlib lists it against the arrows: "a reads b" as b → a
        raise FormulaCycle(circle) from error


def evaluate_all(formulas: dict[str, str], values: dict) -> dict:
    """Code → value of every formula over ``values`` and the formulas before it (each evaluated once, in order)."""
    known = dict(values)
    for code in evaluation_order(formulas):
        known[code] = evaluate(formulas[code], known)
    return {code: known[code] for code in formulas}
