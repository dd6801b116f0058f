"""Turn public, labelled Korean complaints into the JSON Lines that `minwon routing` reads.

Source used in docs/benchmarks.md (kept out of git: no licence is stated for the copy):
  the complaint board (민원상담) of 인천광역시 중구청, 2016–2020, as collected in the public GitHub
  repository 2hy03/Civil_Complaint, file `minwon_df.csv` at commit
  17c134b5e5a9335273ea8938930d65bf40c95651 (columns title, date, answer_x, content, answer_y,
  depart). `depart` is the department that answered (실·국 and 과).

    git clone https://github.com/2hy03/Civil_Complaint && cd Civil_Complaint
    git show 17c134b5e5a9335273ea8938930d65bf40c95651:minwon_df.csv > minwon_df.csv
    python bench/routing_data.py minwon_df.csv > incheon.jsonl

Each output line: {"text": title + content, "department": the answering 과 (bureau dropped,
since bureaus were renamed across years), "category": one of 교통 환경 건축 행정 복지 세금 안전
기타 by the department's duties (table below)}. The answer text is never used: it names the
department. Rows whose department is not a unit name (broken CSV rows) are skipped.
"""

from __future__ import annotations

import csv
import json
import re
import sys

CATEGORY_BY_UNIT = {
    "교통": "교통운수과 교통운영과 교통행정과 교통지적과 교통과 교통민원과 항만공항해양과",
    "환경": "친환경조성과 자원순환과 환경보호과 청소과 환경관리과 위생환경과 도시공원과",
    "건축": "건축과 건축허가과 허가민원과 도시개발과 영종용유개발과 영종개발과 용유개발과"
    " 도시항만재생과 건설과 기반시설과",
    "안전": "건설안전과 안전관리과 건설재난관리과",
    "복지": "주민복지과 어르신장애인과 여성보육과 복지과 주민생활지원과 가정교육과 보건행정과"
    " 건강증진과 국제도시보건과 보건사업과 영종용유보건센터",
    "세금": "세무1과 세무2과 세무과 재무과",
    "행정": "기획감사실 총무과 민원여권과 민원지적과 지적과 의회사무과 홍보체육진흥실 홍보체육실"
    " 도시행정과 용유지원과 영종지원과 영종출장소 용유출장소",
    "기타": "관광진흥실 문화예술과 문화관광과 관광문화지원실 관광문화재과 문화회관 경제정책과"
    " 일자리경제과 경제과 경제지원과 농수산과 교육지원과 위생과",
}
UNIT_CATEGORY = {u: c for c, units in CATEGORY_BY_UNIT.items() for u in units.split()}
_DONG = re.compile(r"^[가-힣0-9]+동$")
_ATTACHMENT = re.compile(r"※\s*첨부파일\s*:.*", re.DOTALL)


def main(path: str) -> None:
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            depart = (row.get("depart") or "").split()
            if not depart:
                continue
            unit = depart[-1]
            category = UNIT_CATEGORY.get(unit) or ("행정" if _DONG.match(unit) else None)
            if category is None:
                continue
            content = _ATTACHMENT.sub("", row.get("content") or "").strip()
            text = f"{(row.get('title') or '').strip()}\n{content}".strip()
            if not text:
                continue
            print(
                json.dumps(
                    {"text": text, "department": unit, "category": category}, ensure_ascii=False
                )
            )


if __name__ == "__main__":
    main(sys.argv[1])
