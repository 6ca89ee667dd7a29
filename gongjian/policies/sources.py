"""Each rule of a profile with its source: the comment attached to its key in the YAML file.

The shipped profiles carry, in comments, the seed and passage of every rule (or "local
default" where the seed gives no number; ``docs/policy-sources.md``). PyYAML drops
comments, so this module reads them from the text: a key's source is its own trailing
comment, else the comment lines right above it (a blank line ends a comment block), else
its parent's. The profile file keeps the YAML subset the shipped ones use (block mappings,
block lists of mappings, flow values on one line); anything else is shown as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongjian.policies.loader import profile_path

# "local default" in any case, and the Chinese words the files use for the platform's choice.
_LOCAL_DEFAULT = re.compile(r"local\s+default|本地默认|平台默认", re.IGNORECASE)
_KEY = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[A-Za-z_][\w-]*)\s*:(?:\s+(?P<rest>.*)|\s*)$")
_COMMENT = re.compile(r"^\s*#\s?(?P<text>.*)$")


@dataclass(frozen=True)
class RuleSource:
    """One key of a profile as the page shows it."""

    path: str  # e.g. ``obligations[visit_principal].count``
    key: str  # the key itself (``count``), or the item's id for a list item
    depth: int  # nesting, for indentation on the page
    value: str  # the YAML text of the value ("" for a mapping or list that follows)
    comment: str  # the comment attached to this key itself ("" if none)
    source: str  # the comment that applies: its own, else the nearest ancestor's
    inherited: bool  # the source is an ancestor's comment

    @property
    def local_default(self) -> bool:
        """The value is the platform's own choice, not the seed's: its own comment says so, or
        it inherits a comment that says so and cites no seed (a block's "…为本地默认" next to
        a seed passage speaks of some of its keys, not all)."""
        if self.comment:
            return bool(_LOCAL_DEFAULT.search(self.comment))
        return bool(_LOCAL_DEFAULT.search(self.source)) and "seed" not in self.source.lower()

    @property
    def cited(self) -> bool:
        return bool(self.source)


def _split_comment(rest: str) -> tuple[str, str]:
    """``value  # comment`` -> (value, comment); a ``#`` inside quotes is part of the value."""
    quote = ""
    for i, char in enumerate(rest):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#" and (i == 0 or rest[i - 1].isspace()):
            return rest[:i].strip(), rest[i + 1 :].strip()
    return rest.strip(), ""


@dataclass
class _Open:
    indent: int  # column of the key (of the dash, for a list item)
    path: str
    source: str
    is_item: bool = False


def rule_sources_of_text(text: str) -> tuple[str, list[RuleSource]]:
    """(the file's heading comment, every key in file order with its source)."""
    heading: list[str] = []
    pending: list[str] = []
    seen_key = False
    stack: list[_Open] = []
    items: dict[str, int] = {}  # list path -> items seen so far
    rows: list[RuleSource] = []
    for line in text.splitlines():
        if not line.strip():
            if not seen_key and pending:
                heading.extend(pending)
            pending = []
            continue
        comment = _COMMENT.match(line)
        if comment:
            pending.append(comment.group("text").strip())
            continue
        match = _KEY.match(line)
        if not match:
            pending = []  # a block-list scalar or a continuation line: not a key
            continue
        seen_key = True
        indent = len(match.group("indent"))
        key = match.group("key")
        dash = match.group("dash")
        value, own = _split_comment(match.group("rest") or "")
        if dash:
            # a new item of the list owned by the nearest key left of (or at) the dash
            while stack and (stack[-1].indent > indent or (stack[-1].indent == indent and stack[-1].is_item)):
                stack.pop()
            owner = stack[-1] if stack else None
            list_path = owner.path if owner else ""
            index = items.get(list_path, 0)
            items[list_path] = index + 1
            name = value if key == "id" and value else str(index)
            block = " ".join(pending)
            item_path = f"{list_path}[{name}]"
            item_source = block or (owner.source if owner else "")
            inherited = not block and bool(item_source)
            rows.append(RuleSource(item_path, name, len(stack), "", block, item_source, inherited))
            stack.append(_Open(indent, item_path, item_source, is_item=True))
            pending = []
        else:
            while stack and stack[-1].indent >= indent:
                stack.pop()
        parent = stack[-1] if stack else None
        attached = own or ("" if dash else " ".join(pending))
        inherited_source = parent.source if parent else ""
        source = attached or inherited_source
        path = f"{parent.path}.{key}" if parent else key
        rows.append(RuleSource(path, key, len(stack), value, attached, source, not attached and bool(source)))
        if not value:  # a mapping or a list follows
            stack.append(_Open(indent, path, source))
        pending = []
    if not heading and rows and rows[0].key == "name" and rows[0].comment:
        # the file's description sits right above its first key, ``name:``
        heading = [rows[0].comment]
        first = rows[0]
        rows[0] = RuleSource(first.path, first.key, first.depth, first.value, "", "", False)
    return " ".join(heading), rows


def rule_sources(key: str) -> tuple[str, list[RuleSource]]:
    """The heading comment and the keys with their sources of shipped profile ``key``."""
    return rule_sources_of_text(profile_path(key).read_text("utf-8"))
