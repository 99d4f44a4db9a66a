"""Stand-ins, written for RuleGate, for the few panther_core objects that rule code touches.

The worker uses them only when the Python that runs the tests cannot import panther_core; it
then registers them in sys.modules under panther_core's module names (panther_core,
panther_core.immutable, panther_core.enriched_event, panther_core.exceptions,
panther_core.data_model), so that `from panther_core import PantherEvent` keeps working.

Only the public names are shared with panther_core. Everything below is RuleGate's own code,
built from the behaviour described in RuleGate's specification of pat's test harness
(shared/spec/panther-format.md, section 6.4); nothing is taken from panther_core's source.

What rules can observe:
* a test Log arrives as a read-only Mapping (not a dict); nested mappings and lists come back as
  read-only views too (a Mapping, and a Sequence that is not a list);
* key lookup tries the exact key, then the first key, in document order, that is equal ignoring
  case (keys are lower-cased lazily, so a non-string key raises only when the scan reaches it);
* deep_get, deep_walk, udm (data-model Path or Method, else p_udm, else the event), udm_path,
  lookup (offline: _mocked_lookup_data_), event_time_epoch, to_dict / copy.

This module also holds the JSONPath subset and the data-model holder that the worker uses with
both these classes and panther_core's real PantherEvent.
"""

import copy as _copy
import datetime as _dt
import re as _re
from collections.abc import Mapping, Sequence

E_NO_DATA_MODEL_FOUND = "a data model hasn't been specified for log type"

_ABSENT = object()


# ---------------------------------------------------------------------------------------------
# errors


class PantherError(Exception):
    """Error whose text is its first argument, followed by ': ' and the others when there are any."""

    def __str__(self):
        if not self.args:
            return ""
        head, tail = self.args[0], self.args[1:]
        if not tail:
            return str(head)
        return "{}: {}".format(head, ", ".join(str(part) for part in tail))


class FunctionReturnTypeError(PantherError):
    """A detection function returned a value of the wrong type."""


class UnknownDestinationError(PantherError):
    """destinations() named an output that is not available."""


# ---------------------------------------------------------------------------------------------
# read-only views


def _view_of(value):
    """Plain dicts and lists become read-only views; every other value is returned unchanged
    (only these two exact types are wrapped, as the real classes do)."""
    kind = type(value)
    if kind is dict:
        return ImmutableCaseInsensitiveDict(value)
    if kind is list:
        return ImmutableList(value)
    return value


def _own_shallow_copy(data):
    """What a view keeps: a shallow copy of a dict (or of anything with a copy() method; a view's
    copy() is a deep, mutable one), or the object itself when it cannot be copied."""
    copier = getattr(type(data), "copy", None)
    return data.copy() if copier is not None else data


class ImmutableContainerMixin:
    """Common base of the read-only views; rules may isinstance-check it."""

    _container = None

    def __len__(self):
        return len(self._container)

    def __repr__(self):
        return "{}({})".format(type(self).__name__, self._container)


class ImmutableCaseInsensitiveDict(ImmutableContainerMixin, Mapping):
    """Read-only mapping view: the exact key first, else the first key equal ignoring case."""

    def __init__(self, container):
        self._container = _own_shallow_copy(container)
        self._folded = {}  # lower-cased key -> first original key with that form, filled lazily
        self._unscanned = None  # iterator over the keys not folded yet (None: not started)
        self._scan_done = False

    def __getitem__(self, key):
        data = self._container
        if key in data or not data:
            return _view_of(data[key])
        original = self._original_key(key.lower())
        if original is _ABSENT:
            raise KeyError(key)
        return _view_of(data[original])

    def __iter__(self):
        return iter(self._container)

    def _original_key(self, folded):
        known = self._folded.get(folded, _ABSENT)
        if known is not _ABSENT or self._scan_done:
            return known
        if self._unscanned is None:
            self._unscanned = iter(self._container)
        for original in self._unscanned:
            form = original.lower()  # a non-string key fails here, when the scan reaches it
            if form in self._folded:
                continue
            self._folded[form] = original
            if form == folded:
                return original
        self._scan_done = True
        return _ABSENT

    def copy(self):
        """A deep, mutable copy (a dict)."""
        return dict(_copy.deepcopy(self._container))

    def to_dict(self):
        """A deep, mutable copy (a dict)."""
        return self.copy()


class ImmutableList(ImmutableContainerMixin, Sequence):
    """Read-only sequence view; compares equal to a list or tuple holding equal items."""

    def __init__(self, container):
        self._container = tuple(container)

    def __getitem__(self, index):
        # a slice gives a plain tuple (tuples are not wrapped)
        return _view_of(self._container[index])

    def __iter__(self):
        return (_view_of(element) for element in self._container)

    def __eq__(self, other):
        if isinstance(other, ImmutableList):
            return self._container == other._container
        if isinstance(other, (list, tuple)):
            return len(other) == len(self._container) and tuple(other) == self._container
        return False

    __hash__ = None

    def copy(self):
        """A deep, mutable copy (a list)."""
        return list(_copy.deepcopy(self._container))

    def as_list(self):
        """A deep, mutable copy (a list)."""
        return self.copy()


def json_encoder(obj):
    """For json.dumps(default=...): a view serialises as the data it wraps."""
    if isinstance(obj, ImmutableContainerMixin):
        return obj._container  # pylint: disable=protected-access
    raise TypeError("object of type {} is not JSON serializable".format(type(obj)))


# ---------------------------------------------------------------------------------------------
# PantherEvent


def _listish(value):
    return isinstance(value, Sequence) and not isinstance(value, str)


def _only_empty_lists(value):
    """True for [], [[]], [[], [[]]] ...: nested lists holding nothing else."""
    if not _listish(value):
        return False
    return all(_only_empty_lists(element) for element in value)


def _walk(node, keys, default, return_val):
    """deep_walk's search. Mappings are followed by exact key; at a list every element is searched
    with the same keys and the distinct results (a list result is spread out) are kept in
    first-seen order, then reduced to one answer as return_val says. Each list level reduces its
    own results, so nested lists are answered level by level."""
    if hasattr(type(node), "copy"):
        node = node.copy()  # every step works on its own shallow copy
    if not keys:
        if node is None or _only_empty_lists(node):
            return default
        return node
    if isinstance(node, Mapping):
        return _walk(node.get(keys[0], default), keys[1:], default, return_val)
    if not _listish(node):
        return default
    distinct = {}  # insertion-ordered; unhashable values raise TypeError, as in panther_core
    for element in node:
        result = _walk(element, keys, default, return_val)
        if result is None:
            continue
        if _listish(result):
            for item in result:
                distinct[item] = None
        else:
            distinct[result] = None
    if not distinct:
        return default
    values = list(distinct)
    if return_val == "first":
        return values[0]
    if return_val == "last":
        return values[-1]
    if return_val == "all":
        return values[0] if len(values) == 1 else values
    return "all"  # what panther_core answers for an unknown return_val


class _Unparsable(Exception):
    pass


def _epoch_seconds(text):
    """Epoch seconds of a timestamp text (UTC unless it says otherwise); _Unparsable if unreadable."""
    try:
        from dateutil import parser as dateutil_parser  # pylint: disable=import-outside-toplevel
    except ImportError:  # pragma: no cover - depends on the environment
        dateutil_parser = None
    if dateutil_parser is not None:
        try:
            return int(dateutil_parser.parse(text).timestamp())
        except dateutil_parser.ParserError as err:
            raise _Unparsable(str(err)) from err
    cleaned = text[:-4] if text.endswith(" UTC") else text
    cleaned = cleaned.strip()
    if cleaned.endswith("Z"):
        cleaned = cleaned[:-1] + "+00:00"
    extra_digits = _re.match(r"^(.*?\.\d{6})\d+(.*)$", cleaned)
    if extra_digits:
        cleaned = extra_digits.group(1) + extra_digits.group(2)
    when = None
    try:
        when = _dt.datetime.fromisoformat(cleaned)
    except ValueError:
        for pattern in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                when = _dt.datetime.strptime(cleaned, pattern)
                break
            except ValueError:
                pass
    if when is None:
        raise _Unparsable(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return int(when.timestamp())


class PantherEvent(ImmutableCaseInsensitiveDict):
    """A test Log as a rule sees it: a read-only, case-insensitive mapping with udm() & co."""

    json_encoder = json_encoder

    def __init__(self, event, data_model=None):
        super().__init__(event)
        self.data_model = data_model
        self.lookup_function = None

    def _add_lookup_function(self, lookup_function):
        self.lookup_function = lookup_function

    def lookup(self, lookup_name, lookup_key):
        """Lookup-table data; offline it is read from the Log's _mocked_lookup_data_."""
        if self.lookup_function:
            return self.lookup_function(self, lookup_name, lookup_key)
        return self.deep_get("_mocked_lookup_data_", lookup_name, lookup_key)

    def deep_get(self, *keys, default=None):
        """Follows mappings (case-insensitively); default on a missing key, a non-mapping or None."""
        node = self
        for key in keys:
            node = node.get(key, default) if isinstance(node, Mapping) else default
        return default if node is None else node

    def deep_walk(self, *keys, default=None, return_val="all"):
        """Like deep_get, but also steps through lists (exact-case keys, raw values), collecting
        the distinct values found in first-seen order."""
        return _walk(self._container, keys, default, return_val)

    def udm(self, *key, default=None):
        """The data model's field (its Path or Method) for one key; otherwise p_udm, then the event."""
        model = self.data_model
        if model and len(key) == 1:
            name = key[0]
            hit = self._path_match(name)
            if hit is not None:
                return _view_of(hit.value)
            method = self._mapped_method(name)
            if method is not None:
                return _view_of(method(_view_of(self._container)))
            if name in model.paths or name in model.methods:
                return default  # mapped, but nothing there
        if key:
            value = self.deep_get("p_udm", *key) or self.deep_get(*key)
            if value:
                return value
        return default

    def udm_path(self, key):
        """The JSONPath that matched for key, or the method's name; needs a data model."""
        if not self.data_model:
            raise PantherError(E_NO_DATA_MODEL_FOUND, self._container.get("p_log_type"))
        hit = self._path_match(key)
        if hit is not None:
            return str(hit.full_path)
        method = self._mapped_method(key)
        if method is not None:
            return getattr(method, "__name__", repr(method))
        return None

    def event_time_epoch(self, force_utc=True):
        """p_event_time as epoch seconds (UTC by default); 0 when it cannot be read."""
        stamp = self.get("p_event_time") or ""
        if force_utc:
            stamp += " UTC"
        try:
            return _epoch_seconds(stamp)
        except _Unparsable:
            return 0

    def _path_match(self, name):
        model = self.data_model
        path = model.paths.get(name) if model else None
        if not path:
            return None
        matches = path.find(self._container)
        if len(matches) > 1:
            raise Exception(  # pylint: disable=broad-exception-raised
                "JSONPath [{}] in DataModel [{}], matched multiple fields.".format(path, model.data_model_id)
            )
        return matches[0] if matches else None

    def _mapped_method(self, name):
        model = self.data_model
        method = model.methods.get(name) if model else None
        return method if callable(method) else None


# ---------------------------------------------------------------------------------------------
# JSONPath subset used by data models: $.a.b, a.b, a[0], a[*], a.*, ['a b'], $..a


class JSONPathError(ValueError):
    pass


_LITERALS = ("*", ".", "[", "]", "(", ")", "$", ",", ":", "|", "&", "~")
_NAME_RE = _re.compile(r"[A-Za-z_@][A-Za-z0-9_@\-]*")


class _Step:
    __slots__ = ("kind", "arg")

    def __init__(self, kind, arg=None):
        self.kind = kind  # field | wildcard | index | slice_all | descend
        self.arg = arg

    def __str__(self):
        if self.kind == "field":
            name = self.arg
            return "'%s'" % name if any(lit in name for lit in _LITERALS) else name
        if self.kind == "wildcard":
            return "*"
        if self.kind == "index":
            return "[%d]" % self.arg
        if self.kind == "slice_all":
            return "[*]"
        return ".." + str(self.arg)


class Match:
    """One JSONPath match: the value and the concrete path that led to it."""

    __slots__ = ("value", "_parts")

    def __init__(self, value, parts):
        self.value = value
        self._parts = parts

    @property
    def full_path(self):
        return _PathText(self._parts)


class _PathText:
    __slots__ = ("_parts",)

    def __init__(self, parts):
        self._parts = parts

    def __str__(self):
        return ".".join(self._parts) if self._parts else "$"

    __repr__ = __str__


def _field_text(name):
    return "'%s'" % name if any(lit in name for lit in _LITERALS) else name


class JSONPath:
    """A parsed path; find(value) returns the list of Match objects, in document order."""

    def __init__(self, text):
        self.text = text
        self.rooted, self.steps = _parse_path(text)

    def __str__(self):
        out = "$" if self.rooted else ""
        for i, step in enumerate(self.steps):
            piece = str(step)
            if step.kind == "descend":
                out += piece
            elif out:
                out += "." + piece
            else:
                out = piece
        return out

    def __repr__(self):
        return "JSONPath(%r)" % self.text

    def find(self, data):
        current = [(data, [])]
        for step in self.steps:
            nxt = []
            for value, parts in current:
                nxt.extend(_apply(step, value, parts))
            current = nxt
        return [Match(v, p) for v, p in current]


def _apply(step, value, parts):
    kind = step.kind
    if kind == "field":
        if isinstance(value, dict) and step.arg in value:
            return [(value[step.arg], parts + [_field_text(step.arg)])]
        return []
    if kind == "wildcard":
        if isinstance(value, dict):
            return [(v, parts + [_field_text(k)]) for k, v in value.items()]
        return []
    if kind == "index":
        if isinstance(value, (list, tuple)) and 0 <= step.arg < len(value):
            return [(value[step.arg], parts + ["[%d]" % step.arg])]
        return []
    if kind == "slice_all":
        if isinstance(value, (dict, int, str)):
            value = [value]
        if isinstance(value, (list, tuple)):
            return [(v, parts + ["[%d]" % i]) for i, v in enumerate(value)]
        return []
    # descend: the inner step at this node, then recursively in every child
    out = list(_apply(step.arg, value, parts))
    if isinstance(value, list):
        for i, child in enumerate(value):
            out.extend(_apply(step, child, parts + ["[%d]" % i]))
    elif isinstance(value, dict):
        for k, child in value.items():
            out.extend(_apply(step, child, parts + [_field_text(k)]))
    return out


def _parse_path(text):
    if not isinstance(text, str) or not text.strip():
        raise JSONPathError("empty JSONPath")
    s = text.strip()
    pos = 0
    rooted = False
    steps = []
    if s.startswith("$"):
        rooted = True
        pos = 1
    elif not s.startswith(("[", ".")):
        m = _NAME_RE.match(s, 0)
        if not m:
            raise JSONPathError("cannot read a field name at the start of %r" % text)
        steps.append(_Step("field", m.group(0)))
        pos = m.end()
    n = len(s)
    while pos < n:
        ch = s[pos]
        if s.startswith("..", pos):
            pos += 2
            inner, pos = _parse_member(s, pos, text)
            steps.append(_Step("descend", inner))
        elif ch == ".":
            pos += 1
            step, pos = _parse_member(s, pos, text)
            steps.append(step)
        elif ch == "[":
            step, pos = _parse_bracket(s, pos, text)
            steps.append(step)
        else:
            raise JSONPathError("unexpected %r at position %d of %r" % (ch, pos, text))
    return rooted, steps


def _parse_member(s, pos, text):
    if pos < len(s) and s[pos] == "*":
        return _Step("wildcard"), pos + 1
    if pos < len(s) and s[pos] == "[":
        return _parse_bracket(s, pos, text)
    if pos < len(s) and s[pos] in "'\"":
        quote = s[pos]
        end = s.find(quote, pos + 1)
        if end < 0:
            raise JSONPathError("unterminated quote in %r" % text)
        return _Step("field", s[pos + 1 : end]), end + 1
    m = _NAME_RE.match(s, pos)
    if not m:
        raise JSONPathError("expected a field name at position %d of %r" % (pos, text))
    return _Step("field", m.group(0)), m.end()


def _parse_bracket(s, pos, text):
    end = s.find("]", pos)
    if end < 0:
        raise JSONPathError("unclosed [ in %r" % text)
    inner = s[pos + 1 : end].strip()
    if inner == "*":
        return _Step("slice_all"), end + 1
    if _re.fullmatch(r"\d+", inner):
        return _Step("index", int(inner)), end + 1
    if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
        return _Step("field", inner[1:-1]), end + 1
    raise JSONPathError(
        "the JSONPath %r uses [%s], which RuleGate does not support (supported: $.a.b, a.b, a[0], a[*], a.*, ['a b'], $..a)"
        % (text, inner)
    )


class DataModel:
    """What PantherEvent needs of a data model: its id, Path mappings and Method mappings."""

    def __init__(self, data_model_id):
        self.data_model_id = data_model_id
        self.paths = {}
        self.methods = {}
