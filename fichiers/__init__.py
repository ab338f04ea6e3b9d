"""Files the portal hands out (CSV, PDF), made so that nothing a family or a childminder typed can be
turned against the person who opens them. Imports nothing of ours."""
