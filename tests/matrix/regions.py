from tests.matrix import READ_ALL, Case

CASES = [
    Case("regions:commune_search", READ_ALL, query="q=hoa+binh"),
    Case("regions:legacy_commune_search", READ_ALL, query="q=luong+son"),
]
