# racecourse_add_case (placeholder).
