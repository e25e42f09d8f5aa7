"""Bringing a province's past in: workbooks of past đề án and their money (issue 10)."""
