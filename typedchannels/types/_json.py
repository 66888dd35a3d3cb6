"""The JSON value type: what an untyped JSON consumer sends and receives."""

from typing import Union

from typing_extensions import TypeAlias

#: Any JSON value, recursively. The default message type of JSON consumers.
JSONValue: TypeAlias = Union[
    dict[str, "JSONValue"], list["JSONValue"], str, int, float, bool, None
]
