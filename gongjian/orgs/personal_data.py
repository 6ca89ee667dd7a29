"""Re-export: masking and ID-number checks live in :mod:`gongjian.core.cells` (one parser module for every import)."""

from gongjian.core.cells import id_number_check_char, id_number_problem, mask_id_number, mask_phone

__all__ = ["id_number_check_char", "id_number_problem", "mask_id_number", "mask_phone"]
