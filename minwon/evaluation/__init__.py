"""민원서비스 종합평가 (issue 21): the evaluation indicators, computed from data, never typed in.

It only reads (complaints and their history, later counter, protection, carewatch) and computes;
`domain/` holds the pure indicators (stdlib + lawclock), `cli.py` the `minwon evaluation compute`
command, which runs on a file without Django.
"""
