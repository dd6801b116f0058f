"""The national link: complaints from 국민신문고 and 정부24 come in; status and answers go back."""
