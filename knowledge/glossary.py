"""English developer words and the Korean words notes write for them: deploy ↔ 배포.

`loanwords` bridges spellings of the same word (도커 = docker). This bridges translations, which
our notes mix freely: a note titled "zappa 수동 배포" should answer ``zappa deploy``, and an
English note on "Deploying with Docker" should answer ``도커 배포``. Search uses it only on the
query side and with less confidence than a word as written, so a note that uses the asker's own
word still wins.

Only words whose translation is unambiguous in a developer's notes belong here (배포 is always
deploy; 실행 could be run, execute or launch, so all three are listed).
"""

from __future__ import annotations

from collections import defaultdict

# english: korean words, space-separated. Nouns and verb stems as notes write them.
_DATA = """
deploy 배포
deployment 배포
install 설치
installation 설치
setting 설정
settings 설정
config 설정
configuration 설정
setup 설정 셋팅 세팅
delete 삭제
remove 삭제 제거
create 생성 만들기
add 추가
cancel 취소
undo 취소 되돌리기
revert 되돌리기 취소
rollback 되돌리기
credential 자격증명
credentials 자격증명
environment 환경
permission 권한
permissions 권한
authentication 인증
auth 인증
error 오류
warning 경고
caution 주의 주의점
order 순서
step 단계 순서
steps 단계 순서
remote 원격
existing 기존
new 새로운
query 조회
manual 수동
automatic 자동
run 실행
execute 실행
launch 실행
start 시작
stop 중지 정지
update 갱신 수정
edit 수정 편집
modify 수정 변경
change 변경 수정
log 기록
logs 기록
request 요청
response 응답
security 보안
secret 비밀
password 비밀번호 암호
user 사용자
type 자료형
dependency 의존성
dependencies 의존성
usage 사용법
difference 차이 차이점
example 예시 예제
"""


def _load() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    to_korean: dict[str, list[str]] = defaultdict(list)
    to_english: dict[str, list[str]] = defaultdict(list)
    for line in _DATA.strip().splitlines():
        english, *korean = line.split()
        for word in korean:
            if word not in to_korean[english]:
                to_korean[english].append(word)
            if english not in to_english[word]:
                to_english[word].append(english)
    return (
        {k: tuple(v) for k, v in to_korean.items()},
        {k: tuple(v) for k, v in to_english.items()},
    )


TO_KOREAN, TO_ENGLISH = _load()


def translations(word: str) -> tuple[str, ...]:
    """The other language's words for `word` (lower-case English or Hangul), or ()."""
    return TO_KOREAN.get(word) or TO_ENGLISH.get(word) or ()
