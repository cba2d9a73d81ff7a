"""kzqa: cited answers over a news corpus about Kazakhstan's November 2022 snap presidential election."""

__version__ = "0.1.0"
