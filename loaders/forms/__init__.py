"""Official statistical forms (统计报表), read as they are laid out: by 行次 and 栏次.

Each form is a profile in indicators/forms/<表号>.yaml (profile.py reads them); a sheet
that carries a profile's 表号 is read through it (reader.py), every other sheet as
before. A second form is a new YAML file, not new code.
"""
from loaders.forms.profile import FormProfile, load_profiles
from loaders.forms.reader import parse_sheet, read_form, recognise, region_in

__all__ = ["FormProfile", "load_profiles", "parse_sheet", "read_form", "recognise", "region_in"]
