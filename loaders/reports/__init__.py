"""The report reader: a 年度报告, 工作总结 or 简报 in, candidate figures out, each with the
sentence it was read from, where it stands, how sure the reading is and why.

text.py reads the file's text, layout.py cuts it into paragraphs and sentences,
numbers.py finds the figures in a sentence, context.py reads their period, year, kind,
scope and region, cues.py matches the indicator, extract.py puts it together.
"""
