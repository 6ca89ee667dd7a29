"""Reading one mapping of a profile, naming the file and the key path in every error."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from gongjian.policies.errors import PolicyProfileError

_MISSING: Any = object()


class Reader:
    """One mapping of a profile. Every getter fails with ``文件：键 说明``; a getter without
    a ``default`` makes the key required (no code default repeats a number of the YAML)."""

    def __init__(self, file: str, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise PolicyProfileError(f"{file}：{path or '文件'} 应为键值映射")
        self.file, self.data, self.path = file, data, path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, message: str) -> PolicyProfileError:
        return PolicyProfileError(f"{self.file}：{self.key(name)} {message}")

    def only(self, allowed: set[str] | frozenset[str]) -> None:
        for name in self.data:
            if str(name) not in allowed:
                raise self.fail(str(name), f"是未知的键（可用：{'、'.join(sorted(allowed))}）")

    def _get(self, name: str, default: Any) -> Any:
        if name in self.data:
            return self.data[name]
        if default is _MISSING:
            raise self.fail(name, "缺失（此键必须写明）")
        return default

    def text(self, name: str, default: str | None = _MISSING) -> str:
        value = self._get(name, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, "应为非空文字")
        return value.strip()

    def integer(
        self, name: str, default: int | None = _MISSING, *, minimum: int = 0, maximum: int | None = None
    ) -> int:
        value = self._get(name, default)
        # bool is an int subclass: `count: yes` is a typo, not 1.
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(name, f"应为不小于 {minimum} 的整数（现为 {value!r}）")
        if maximum is not None and value > maximum:
            raise self.fail(name, f"应为 {minimum}–{maximum} 的整数（现为 {value!r}）")
        return value

    def optional_integer(self, name: str, *, minimum: int = 0, maximum: int | None = None) -> int | None:
        if self.data.get(name) is None:
            return None
        return self.integer(name, minimum=minimum, maximum=maximum)

    def integers(self, name: str, default: list[int] | None = _MISSING) -> tuple[int, ...]:
        value = self._get(name, default)
        if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise self.fail(name, "应为整数列表")
        return tuple(value)

    def boolean(self, name: str, default: bool | None = _MISSING) -> bool:
        value = self._get(name, default)
        if not isinstance(value, bool):
            raise self.fail(name, "应为 true 或 false")
        return value

    def decimal(self, name: str, default: Decimal | int | None = _MISSING) -> Decimal:
        value = self._get(name, default)
        try:
            if isinstance(value, bool) or value is None:
                raise InvalidOperation
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(name, f"应为金额或数值（现为 {value!r}）") from None
        if number < 0:
            raise self.fail(name, "不能为负数")
        return number

    def percent(self, name: str) -> Decimal:
        number = self.decimal(name)
        if number > 100:
            raise self.fail(name, "应在 0 到 100 之间")
        return number

    def words(self, name: str, vocabulary: Mapping[str, Any] | None = None) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(name, "应为文字列表")
        for item in value:
            if vocabulary is not None and item not in vocabulary:
                raise self.fail(name, f"含未知取值 {item}（可用：{'、'.join(vocabulary)}）")
        return tuple(value)

    def points_by_word(self, name: str) -> dict[str, int]:
        value = self.data.get(name) or {}
        if not isinstance(value, Mapping):
            raise self.fail(name, "应为“标签: 分值”")
        return {str(k): self.child(name).integer(str(k)) for k in value}

    def month_day(self, name: str, default: str | None = _MISSING) -> str:
        value = str(self._get(name, default))
        try:
            month, day = (int(x) for x in value.split("-"))
            datetime.date(2000, month, day)  # 2000: a leap year, so 02-29 is allowed
        except ValueError:
            raise self.fail(name, f"应为“月-日”，如 12-31（现为 {value!r}）") from None
        return value

    def optional_month_day(self, name: str) -> str | None:
        return None if self.data.get(name) is None else self.month_day(name)

    def child(self, name: str) -> Reader:
        return Reader(self.file, self.data.get(name) or {}, self.key(name))
