"""Hangul spellings of English developer terms: 장고 → django, 깃헙 → github.

Korean TIL notes and questions write English tech words both ways ("Django 마이그레이션",
"장고 migration"), so search has to bridge the two spellings. Three layers, from confident to
fuzzy:

* ``TABLE`` / ``to_english`` — a curated Hangul → English table plus compound splitting
  (도커파일 → dockerfile / docker file) and particle stripping (장고에서 → django).
* ``phonetic_key`` — a coarse consonant skeleton shared by an English word and its Hangul
  spelling, for loanwords the table does not know (그라파나 ≈ grafana). Callers compare keys
  with a fuzzy ratio against English words that actually occur in their notes.
* ``romanize`` — a readable loanword-style transliteration, for debugging and display.

Pure stdlib so the knowledge package stays importable without Slack/AWS deps; the table is
parsed once at import (well under a millisecond).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# One "hangul english" pair per line; English may contain spaces ("spring boot"). Only
# loanwords belong here: native/Sino-Korean words (배포, 환경, 설정) must stay Korean, or every
# Korean sentence would be rewritten into noisy English. Homographs whose native sense is
# common in prose (배치 = placement, 셋 = three, 수도 = capital, 집 = house, 논 = paddy) are
# left out on purpose.
_DATA = """
# -- languages, formats ------------------------------------------------------
파이썬 python
파이선 python
파이톤 python
자바 java
자바스크립트 javascript
자바스크립 javascript
타입스크립트 typescript
코틀린 kotlin
스위프트 swift
오브젝티브씨 objective-c
루비 ruby
러스트 rust
고랭 golang
씨샵 c#
시샵 c#
씨쁠쁠 c++
씨플플 c++
씨플러스플러스 c++
피에이치피 php
펄 perl
스칼라 scala
다트 dart
매트랩 matlab
줄리아 julia
솔리디티 solidity
어셈블리 assembly
배시 bash
배쉬 bash
쉘 shell
셸 shell
파워셸 powershell
파워쉘 powershell
지쉘 zsh
에스큐엘 sql
시퀄 sql
마크다운 markdown
에이치티엠엘 html
씨에스에스 css
제이슨 json
제이썬 json
야믈 yaml
야멜 yaml
야물 yaml
엑스엠엘 xml
씨에스브이 csv
그래프큐엘 graphql
레그엑스 regex
레겍스 regex
# -- web / backend frameworks and libraries ----------------------------------
장고 django
쟝고 django
짱고 django
플라스크 flask
패스트에이피아이 fastapi
스프링 spring
스프링부트 spring boot
부트 boot
리액트 react
리엑트 react
뷰제이에스 vue
앵귤러 angular
앵귤라 angular
넥스트 next
노드 node
노드제이에스 nodejs
익스프레스 express
제이쿼리 jquery
부트스트랩 bootstrap
웹팩 webpack
레일즈 rails
레일스 rails
라라벨 laravel
플러터 flutter
일렉트론 electron
닷넷 dotnet
유니티 unity
그래들 gradle
메이븐 maven
제이피에이 jpa
엔피엠 npm
얀 yarn
핍 pip
피아이피 pip
콘다 conda
아나콘다 anaconda
보토 boto
보토3 boto3
자파 zappa
셀러리 celery
리퀘스츠 requests
판다스 pandas
넘파이 numpy
사이킷런 scikit-learn
텐서플로 tensorflow
텐서플로우 tensorflow
파이토치 pytorch
케라스 keras
주피터 jupyter
셀레니움 selenium
뷰티풀수프 beautifulsoup
랭체인 langchain
허깅페이스 huggingface
# -- programming concepts ----------------------------------------------------
레스트 rest
레스트풀 restful
에이피아이 api
에스디케이 sdk
오알엠 orm
디알에프 drf
시리얼라이저 serializer
시리얼라이즈 serialize
뷰셋 viewset
뷰 view
템플릿 template
템플레이트 template
미들웨어 middleware
라우터 router
컨트롤러 controller
서비스 service
리포지토리 repository
레포지토리 repository
레포지터리 repository
레포 repo
리포 repo
엔티티 entity
모델 model
스키마 schema
쿼리 query
쿼리셋 queryset
매니저 manager
어드민 admin
폼 form
필드 field
위젯 widget
컴포넌트 component
훅 hook
훅스 hooks
스테이트 state
프롭스 props
컨텍스트 context
라이프사이클 lifecycle
렌더 render
렌더링 rendering
돔 dom
버추얼 virtual
이벤트 event
리스너 listener
핸들러 handler
콜백 callback
프로미스 promise
어싱크 async
에이싱크 async
어웨이트 await
싱크 sync
데코레이터 decorator
제너레이터 generator
이터레이터 iterator
이터러블 iterable
클로저 closure
람다 lambda
컴프리헨션 comprehension
패키지 package
패키징 packaging
모듈 module
라이브러리 library
프레임워크 framework
플러그인 plugin
익스텐션 extension
임포트 import
익스포트 export
클래스 class
오브젝트 object
인스턴스 instance
메서드 method
메소드 method
프로퍼티 property
어트리뷰트 attribute
인터페이스 interface
오버라이드 override
오버라이딩 overriding
오버로딩 overloading
인헤리턴스 inheritance
타입 type
타입힌트 type hint
스트링 string
인티저 integer
플로트 float
불리언 boolean
불린 boolean
리스트 list
딕셔너리 dictionary
딕트 dict
튜플 tuple
세트 set
어레이 array
맵 map
매핑 mapping
해시 hash
해쉬 hash
해시맵 hashmap
큐 queue
스택 stack
힙 heap
트리 tree
그래프 graph
링크드 linked
포인터 pointer
레퍼런스 reference
컨스턴트 constant
널 null
트루 true
폴스 false
루프 loop
이터레이션 iteration
알고리즘 algorithm
알고리듬 algorithm
로직 logic
인덱스 index
인덱싱 indexing
슬라이스 slice
슬라이싱 slicing
소트 sort
소팅 sorting
서치 search
필터 filter
필터링 filtering
파서 parser
파싱 parsing
파스 parse
포맷 format
포멧 format
포매터 formatter
포매팅 formatting
인코딩 encoding
디코딩 decoding
인코드 encode
디코드 decode
유니코드 unicode
바이트 byte
바이트코드 bytecode
비트 bit
버퍼 buffer
스트림 stream
파일 file
디렉토리 directory
디렉터리 directory
폴더 folder
패스 path
스크립트 script
컴파일 compile
컴파일러 compiler
인터프리터 interpreter
런타임 runtime
빌드 build
디버그 debug
디버깅 debugging
디버거 debugger
에러 error
버그 bug
익셉션 exception
트레이스백 traceback
로그 log
로깅 logging
로거 logger
테스트 test
테스팅 testing
유닛 unit
유닛테스트 unittest
모크 mock
모킹 mocking
픽스처 fixture
픽스쳐 fixture
커버리지 coverage
린트 lint
린터 linter
리팩토링 refactoring
리팩터링 refactoring
코드 code
코딩 coding
프로그래밍 programming
프로그램 program
소프트웨어 software
하드웨어 hardware
애플리케이션 application
어플리케이션 application
앱 app
어플 app
웹앱 webapp
프로젝트 project
아키텍처 architecture
아키텍쳐 architecture
디자인 design
패턴 pattern
싱글톤 singleton
팩토리 factory
옵저버 observer
프록시 proxy
어댑터 adapter
디펜던시 dependency
인젝션 injection
가비지 garbage
컬렉션 collection
콜렉션 collection
메모리 memory
캐시 cache
캐쉬 cache
캐싱 caching
스레드 thread
쓰레드 thread
스레딩 threading
멀티 multi
프로세스 process
프로세싱 processing
락 lock
시퀀스 sequence
시노님 synonym
# -- web, http, auth ---------------------------------------------------------
웹 web
웹사이트 website
사이트 site
서버 server
클라이언트 client
리퀘스트 request
리스폰스 response
에이치티티피 http
에이치티티피에스 https
유알엘 url
유알아이 uri
도메인 domain
호스트 host
호스팅 hosting
로컬호스트 localhost
포트 port
아이피 ip
디엔에스 dns
티씨피 tcp
유디피 udp
소켓 socket
웹소켓 websocket
프로토콜 protocol
헤더 header
바디 body
쿠키 cookie
세션 session
토큰 token
제이더블유티 jwt
오쓰 oauth
오어스 oauth
어센티케이션 authentication
오센티케이션 authentication
오소리제이션 authorization
어소리제이션 authorization
로그인 login
로그아웃 logout
패스워드 password
유저 user
유저네임 username
어카운트 account
퍼미션 permission
롤 role
폴리시 policy
크레덴셜 credential
크리덴셜 credential
시크릿 secret
시크릿키 secret key
키 key
액세스 access
엑세스 access
엔드포인트 endpoint
라우팅 routing
라우트 route
리다이렉트 redirect
리다이렉션 redirection
에스큐엘알케미 sqlalchemy
알케미 alchemy
로드 load
밸런서 balancer
밸런싱 balancing
로드밸런서 load balancer
씨디엔 cdn
코어스 cors
씨에스알에프 csrf
엑스에스에스 xss
에스에스엘 ssl
티엘에스 tls
서티피케이트 certificate
프론트엔드 frontend
프런트엔드 frontend
프론트 front
프런트 front
백엔드 backend
백앤드 backend
풀스택 fullstack
브라우저 browser
크롬 chrome
사파리 safari
파이어폭스 firefox
페이지 page
페이지네이션 pagination
에이잭스 ajax
아작스 ajax
페치 fetch
폴링 polling
웹훅 webhook
페이로드 payload
스테이터스 status
파라미터 parameter
파라메터 parameter
패러미터 parameter
아규먼트 argument
메타데이터 metadata
미디어 media
스태틱 static
다이내믹 dynamic
다이나믹 dynamic
콘텐츠 content
컨텐츠 content
컨텐트 content
이미지 image
업로드 upload
다운로드 download
다운 down
스트리밍 streaming
# -- databases ---------------------------------------------------------------
데이터베이스 database
디비 db
데이터 data
테이블 table
컬럼 column
칼럼 column
로우 row
레코드 record
프라이머리 primary
포린 foreign
조인 join
트랜잭션 transaction
커넥션 connection
컨넥션 connection
커서 cursor
마이그레이션 migration
마이그레이트 migrate
백업 backup
덤프 dump
레플리카 replica
파티션 partition
클러스터 cluster
마이에스큐엘 mysql
마이시퀄 mysql
포스트그레스 postgres
포스트그레 postgres
포스트그레스큐엘 postgresql
오라클 oracle
몽고 mongo
몽고디비 mongodb
레디스 redis
엘라스틱서치 elasticsearch
에스큐엘라이트 sqlite
다이나모 dynamo
다이나모디비 dynamodb
노에스큐엘 nosql
밸류 value
트리거 trigger
프로시저 procedure
스토어드 stored
# -- devops, containers, ci --------------------------------------------------
도커 docker
독커 docker
도커파일 dockerfile
컴포즈 compose
컨테이너 container
볼륨 volume
네트워크 network
쿠버네티스 kubernetes
쿠베르네테스 kubernetes
파드 pod
포드 pod
디플로이 deploy
디플로이먼트 deployment
인그레스 ingress
네임스페이스 namespace
컨피그 config
컨피규레이션 configuration
세팅 setting
셋팅 setting
세팅스 settings
인바이런먼트 environment
엔바이런먼트 environment
씨아이 ci
파이프라인 pipeline
워크플로 workflow
워크플로우 workflow
젠킨스 jenkins
깃랩 gitlab
트래비스 travis
테라폼 terraform
엔진엑스 nginx
모니터링 monitoring
메트릭 metric
메트릭스 metrics
얼럿 alert
알럿 alert
알람 alarm
대시보드 dashboard
스케일 scale
스케일링 scaling
오토 auto
머신 machine
브이엠 vm
서버리스 serverless
마이크로 micro
모놀리식 monolithic
모놀리스 monolith
인프라 infra
인프라스트럭처 infrastructure
프로비저닝 provisioning
오케스트레이션 orchestration
롤백 rollback
롤링 rolling
카나리 canary
헬스 health
체크 check
트래픽 traffic
레이턴시 latency
스루풋 throughput
업타임 uptime
다운타임 downtime
데브옵스 devops
에스알이 sre
# -- git ---------------------------------------------------------------------
깃 git
기트 git
깃허브 github
깃헙 github
기트허브 github
깃허브액션 github actions
비트버킷 bitbucket
커밋 commit
컴밋 commit
푸시 push
푸쉬 push
풀 pull
풀리퀘스트 pull request
피알 pr
머지 merge
브랜치 branch
브런치 branch
체크아웃 checkout
클론 clone
포크 fork
리베이스 rebase
스태시 stash
스태쉬 stash
체리픽 cherry-pick
태그 tag
릴리스 release
릴리즈 release
리버트 revert
리셋 reset
컨플릭트 conflict
콘플릭트 conflict
헤드 head
오리진 origin
리모트 remote
로컬 local
스테이징 staging
스테이지 stage
디프 diff
패치 patch
이슈 issue
마일스톤 milestone
리드미 readme
라이선스 license
라이센스 license
깃이그노어 gitignore
블레임 blame
액션 action
액션스 actions
# -- os, shell, tools --------------------------------------------------------
리눅스 linux
우분투 ubuntu
데비안 debian
센토스 centos
레드햇 redhat
알파인 alpine
윈도우 windows
윈도우즈 windows
윈도 windows
맥 mac
맥북 macbook
맥오에스 macos
유닉스 unix
터미널 terminal
콘솔 console
커맨드 command
커멘드 command
프롬프트 prompt
커널 kernel
드라이버 driver
루트 root
스도 sudo
홈브루 homebrew
브루 brew
에이피티 apt
크론 cron
크론탭 crontab
데몬 daemon
시스템 system
시스템디 systemd
시그널 signal
파이프 pipe
에디터 editor
빔 vim
이맥스 emacs
나노 nano
브이에스코드 vscode
비주얼 visual
스튜디오 studio
인텔리제이 intellij
파이참 pycharm
이클립스 eclipse
아이디이 ide
에스에스에이치 ssh
에스씨피 scp
알싱크 rsync
컬 curl
그렙 grep
탭 tab
스페이스 space
인덴트 indent
인덴테이션 indentation
버추얼엔브 virtualenv
브이엔브 venv
심볼릭 symbolic
링크 link
바이너리 binary
아카이브 archive
타르 tar
그룹 group
호스트네임 hostname
# -- cloud, aws --------------------------------------------------------------
클라우드 cloud
아마존 amazon
에이더블유에스 aws
이씨투 ec2
에스쓰리 s3
알디에스 rds
에스큐에스 sqs
에스엔에스 sns
아이에이엠 iam
브이피씨 vpc
서브넷 subnet
리전 region
리젼 region
엘라스틱 elastic
일래스틱 elastic
빈스톡 beanstalk
클라우드워치 cloudwatch
워치 watch
클라우드프론트 cloudfront
클라우드포메이션 cloudformation
게이트웨이 gateway
코그니토 cognito
앰플리파이 amplify
세이지메이커 sagemaker
파게이트 fargate
아테나 athena
글루 glue
키네시스 kinesis
레드시프트 redshift
이씨알 ecr
이씨에스 ecs
이케이에스 eks
이비에스 ebs
씨디케이 cdk
스토어 store
버킷 bucket
스냅샷 snapshot
리소스 resource
애저 azure
애져 azure
구글 google
지씨피 gcp
파이어베이스 firebase
파이어스토어 firestore
빅쿼리 bigquery
런 run
# -- data, ml ----------------------------------------------------------------
머신러닝 machine learning
딥 deep
러닝 learning
딥러닝 deep learning
에이아이 ai
엘엘엠 llm
지피티 gpt
챗지피티 chatgpt
오픈에이아이 openai
클로드 claude
트랜스포머 transformer
뉴럴 neural
트레이닝 training
인퍼런스 inference
데이터셋 dataset
데이터세트 dataset
데이터프레임 dataframe
피처 feature
피쳐 feature
레이블 label
라벨 label
클래시피케이션 classification
리그레션 regression
클러스터링 clustering
임베딩 embedding
벡터 vector
매트릭스 matrix
텐서 tensor
그래디언트 gradient
그라디언트 gradient
옵티마이저 optimizer
로스 loss
에포크 epoch
에폭 epoch
하이퍼 hyper
오버피팅 overfitting
프리시전 precision
리콜 recall
파인튜닝 fine-tuning
토크나이저 tokenizer
크롤링 crawling
크롤러 crawler
스크래핑 scraping
차트 chart
플롯 plot
히스토그램 histogram
애널리틱스 analytics
빅 big
스파크 spark
이티엘 etl
웨어하우스 warehouse
스노우플레이크 snowflake
태블로 tableau
# -- general software words --------------------------------------------------
컴퓨터 computer
인터넷 internet
플랫폼 platform
솔루션 solution
프로덕트 product
프로덕션 production
디벨롭먼트 development
버전 version
버젼 version
업데이트 update
업그레이드 upgrade
다운그레이드 downgrade
인스톨 install
언인스톨 uninstall
셋업 setup
핫픽스 hotfix
픽스 fix
스펙 spec
도큐먼트 document
다큐먼트 document
도큐멘테이션 documentation
독스 docs
가이드 guide
튜토리얼 tutorial
샘플 sample
데모 demo
프로토타입 prototype
유아이 ui
유엑스 ux
레이아웃 layout
스타일 style
폰트 font
아이콘 icon
버튼 button
모달 modal
팝업 popup
메뉴 menu
네비게이션 navigation
내비게이션 navigation
스크롤 scroll
클릭 click
인풋 input
아웃풋 output
텍스트 text
메시지 message
메세지 message
노티피케이션 notification
이메일 email
메일 mail
채널 channel
슬랙 slack
슬래시 slash
봇 bot
챗봇 chatbot
챗 chat
채팅 chatting
디스코드 discord
모바일 mobile
안드로이드 android
아이오에스 ios
아이폰 iphone
디바이스 device
임베디드 embedded
아두이노 arduino
라즈베리파이 raspberry pi
시피유 cpu
씨피유 cpu
지피유 gpu
램 ram
에스에스디 ssd
스토리지 storage
디스크 disk
퍼포먼스 performance
옵티마이제이션 optimization
벤치마크 benchmark
프로파일링 profiling
프로파일러 profiler
프로파일 profile
프로필 profile
시큐리티 security
해킹 hacking
인크립션 encryption
솔트 salt
파이어월 firewall
브이피엔 vpn
타임아웃 timeout
타임스탬프 timestamp
타임존 timezone
데이트타임 datetime
스케줄러 scheduler
스케쥴러 scheduler
스케줄 schedule
스케쥴 schedule
스케줄링 scheduling
태스크 task
테스크 task
워커 worker
브로커 broker
퍼블리셔 publisher
서브스크라이버 subscriber
프로듀서 producer
컨슈머 consumer
토픽 topic
스크린샷 screenshot
캡처 capture
카피 copy
드래그 drag
드롭 drop
북마크 bookmark
애드온 addon
오픈 open
소스 source
오픈소스 open source
커뮤니티 community
컨트리뷰터 contributor
메인테이너 maintainer
스택오버플로 stackoverflow
스택오버플로우 stackoverflow
구글링 googling
에이전트 agent
리뷰 review
이니셜라이즈 initialize
리턴 return
네이티브 native
레이어 layer
로드맵 roadmap
엔진 engine
유틸 util
유틸리티 utility
헬퍼 helper
래퍼 wrapper
바인딩 binding
매크로 macro
제네릭 generic
이넘 enum
스코프 scope
글로벌 global
프라이빗 private
퍼블릭 public
프로텍티드 protected
앱스트랙트 abstract
인터럽트 interrupt
트러블슈팅 troubleshooting
티켓 ticket
스프린트 sprint
애자일 agile
스크럼 scrum
칸반 kanban
워크스페이스 workspace
리포트 report
피드백 feedback
리절트 result
밸리데이션 validation
밸리데이터 validator
에스케이프 escape
컨버트 convert
카운트 count
레벨 level
모드 mode
옵션 option
플래그 flag
템프 temp
블루그린 blue green
"""


def _parse(data: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for raw in data.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        hangul, english = line.split(maxsplit=1)
        table[hangul] = english.lower()
    return table


TABLE: dict[str, str] = _parse(_DATA)

# -- Hangul syllable arithmetic ---------------------------------------------------------------
# Precomposed syllables are (initial * 21 + vowel) * 28 + final, offset by U+AC00.
_SYL_FIRST = 0xAC00
_SYL_LAST = 0xD7A3
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"

# Plain pattern strings, not compiled objects: re caches them on first use, which keeps
# import time down for callers that only need TABLE.
_HANGUL_RUN = r"[\uac00-\ud7a3]+"
_WORD_RUN = r"[\uac00-\ud7a3]+|[a-z]+"


def _is_syllable(ch: str) -> bool:
    return _SYL_FIRST <= ord(ch) <= _SYL_LAST


def _decompose(ch: str) -> tuple[str, str, str]:
    """(initial, vowel, final) jamo; final is "" for an open syllable."""
    code = ord(ch) - _SYL_FIRST
    initial, rest = divmod(code, 21 * 28)
    vowel, final = divmod(rest, 28)
    return _INITIALS[initial], _VOWELS[vowel], _FINALS[final].strip()


def _normalize(word: str) -> str:
    # macOS file names and some clipboards deliver decomposed (NFD) jamo; the table is NFC.
    return unicodedata.normalize("NFC", word).strip().lower()


# -- to_english -------------------------------------------------------------------------------
# Particles, light verb endings and the 명 "name" suffix that glue onto a loanword in running
# Korean text (장고에서, 커밋하는, 컨테이너들을, 브랜치명). Longest first so 에서 wins over 에.
_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        """
        으로부터 로부터 에서는 에서도 에서의 이라는 이라고 이라면 으로는 으로도 입니다 이에요 이었다
        했는데 하려면 합니다 됩니다 시키는 되는 되어 된다 하다 했다 하는 하기 하면 해서 하고 하여
        하며 하지 하던 했던 해야 해줘 이란 이라 이다 에서 에게 한테 으로 까지 부터 처럼 보다 이나
        이랑 에는 에도 과의 와의 라는 라고 라면 라서
        의 은 는 이 가 을 를 에 로 와 과 도 만 란 랑 나 께 한 할 해 된 될 시 명
        """.split(),
        key=len,
        reverse=True,
    )
)
_PLURAL = "들"


@lru_cache(maxsize=4096)
def _segment(word: str) -> tuple[str, ...] | None:
    """Split ``word`` into the fewest TABLE entries, or None.

    At least one piece must be two syllables or longer: pairs of one-syllable entries
    (풀 + 큐, 맵 + 키) collide with ordinary Korean words far more often than they name a
    real compound, and the genuine short compounds (웹앱) are in TABLE directly.
    """
    n = len(word)
    # best[i]: fewest pieces covering word[:i]; ties keep the earlier (longer-first) split.
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for end in range(1, n + 1):
        for start in range(end):
            if start == 0 and end == n:
                continue  # the whole word is a table lookup, not a compound reading
            prev = best[start]
            piece = word[start:end]
            if prev is None or piece not in TABLE:
                continue
            cand = (*prev, piece)
            current = best[end]
            if current is None or len(cand) < len(current):
                best[end] = cand
    pieces = best[n]
    if not pieces or len(pieces) < 2 or not any(len(p) >= 2 for p in pieces):
        return None
    return pieces


def _resolve(stem: str) -> list[str]:
    """English candidates for a particle-free stem: table hit, then compound readings."""
    out: list[str] = []
    if stem in TABLE:
        out.append(TABLE[stem])
    pieces = _segment(stem)
    if pieces:
        words = [TABLE[p] for p in pieces]
        out.append(" ".join(words))
        # English often closes two-word compounds (dockerfile, webhook); offer that spelling
        # too, but only for two single-word parts where it is plausible.
        if len(words) == 2 and not any(" " in w or "-" in w for w in words):
            out.append("".join(words))
    return list(dict.fromkeys(out))


def _stems(word: str) -> list[str]:
    """Candidate stems after peeling one particle and an optional plural 들."""
    stems: list[str] = []
    for suffix in _SUFFIXES:
        if not word.endswith(suffix) or len(word) <= len(suffix):
            continue
        stem = word[: -len(suffix)]
        # A one-syllable stem plus a one-syllable particle is usually plain Korean
        # (풀이 "solution", 키가 "height") rather than pull/key.
        if len(stem) < 2 and len(suffix) < 2:
            continue
        stems.append(stem)
        if stem.endswith(_PLURAL) and len(stem) > 2:
            stems.append(stem[:-1])
    if word.endswith(_PLURAL) and len(word) > 2:
        stems.append(word[:-1])
    return stems


def to_english(word: str) -> list[str]:
    """English candidates for one Hangul token, most confident first; [] if not a loanword.

    >>> to_english("도커파일")
    ['dockerfile', 'docker file']
    >>> to_english("장고마이그레이션")
    ['django migration', 'djangomigration']
    >>> to_english("배포")
    []
    """
    w = _normalize(word)
    if not w or not re.search(_HANGUL_RUN, w):
        return []
    found = _resolve(w)
    if found:
        return found
    for stem in _stems(w):
        found = _resolve(stem)
        if found:
            return found
    return []


# -- romanize ---------------------------------------------------------------------------------
# Loanword-oriented, not Revised Romanization: the goal is a string an English reader (and a
# fuzzy matcher) recognises, so 으 is mostly an epenthetic vowel to drop (스트 → st), a final
# ㅅ is an English t (깃 → git) and ㅓ in an open syllable is usually "er" (서버 → server).
_ROM_INITIAL = {
    "ㄱ": "g", "ㄲ": "g", "ㄴ": "n", "ㄷ": "d", "ㄸ": "d", "ㄹ": "r", "ㅁ": "m", "ㅂ": "b",
    "ㅃ": "b", "ㅅ": "s", "ㅆ": "s", "ㅇ": "", "ㅈ": "j", "ㅉ": "j", "ㅊ": "ch", "ㅋ": "k",
    "ㅌ": "t", "ㅍ": "p", "ㅎ": "h",
}  # fmt: skip
_ROM_VOWEL = {
    "ㅏ": "a", "ㅐ": "a", "ㅑ": "ya", "ㅒ": "ye", "ㅓ": "o", "ㅔ": "e", "ㅕ": "yo", "ㅖ": "ye",
    "ㅗ": "o", "ㅘ": "wa", "ㅙ": "wa", "ㅚ": "we", "ㅛ": "yo", "ㅜ": "u", "ㅝ": "wo", "ㅞ": "we",
    "ㅟ": "wi", "ㅠ": "yu", "ㅡ": "u", "ㅢ": "ui", "ㅣ": "i",
}  # fmt: skip
_ROM_FINAL = {
    "ㄱ": "k", "ㄲ": "k", "ㄳ": "ks", "ㄴ": "n", "ㄵ": "nj", "ㄶ": "n", "ㄷ": "t", "ㄹ": "l",
    "ㄺ": "lk", "ㄻ": "lm", "ㄼ": "lb", "ㄽ": "ls", "ㄾ": "lt", "ㄿ": "lp", "ㅀ": "l", "ㅁ": "m",
    "ㅂ": "p", "ㅄ": "ps", "ㅅ": "t", "ㅆ": "t", "ㅇ": "ng", "ㅈ": "t", "ㅊ": "t", "ㅋ": "k",
    "ㅌ": "t", "ㅍ": "p", "ㅎ": "",
}  # fmt: skip
# Palatalised vowels after ㅅ/ㅈ/ㅊ: 셔 is "sho", not "syo"; 셸 is "shel".
_SH_VOWEL = {
    "ㅑ": "a", "ㅕ": "o", "ㅛ": "o", "ㅠ": "u", "ㅒ": "e", "ㅖ": "e", "ㅞ": "e", "ㅟ": "i",
}  # fmt: skip


def _romanize_run(run: str) -> str:
    sylls = [_decompose(ch) for ch in run]
    out: list[str] = []
    last = len(sylls) - 1
    for i, (ini, vow, fin) in enumerate(sylls):
        prev_fin = sylls[i - 1][2] if i else ""
        nxt = sylls[i + 1] if i < last else None
        # ㄹ is both l and r; doubled ㄹㄹ (컬럼, 셀레니움) is an English l, and re-/ri- prefixes
        # (리액트, 레디스, 리퀘스트) are r far more often than l.
        if ini == "ㄹ":
            cons = "l" if prev_fin == "ㄹ" or vow not in "ㅣㅔㅐ" else "r"
        elif ini == "ㅆ" and vow in "ㅓㅡ":
            cons = "th"  # 파이썬, 쓰레드, 써드파티: ㅆ before ㅓ/ㅡ mostly spells "th"
        elif ini == "ㅅ" and vow in _SH_VOWEL:
            cons = "sh"
        else:
            cons = _ROM_INITIAL[ini]

        if ini == "ㅇ" and vow == "ㅣ" and i and not sylls[i - 1][2] and sylls[i - 1][1] in "ㅏㅔ":
            # 아이/에이 diphthongs already spelled by the previous vowel (파이 → pi, 데이 → da).
            vowel = ""
        elif vow == "ㅡ" and ini != "ㅇ" and not fin:
            vowel = ""  # epenthetic 으: 스 → s, 트 → t, 드 → d
        elif cons in ("sh", "ch", "j") and vow in _SH_VOWEL:
            vowel = _SH_VOWEL[vow]
        elif vow == "ㅓ" and not fin:
            # Word-final open ㅓ is the English "-er" (서버, 도커); inside a word it is
            # mostly a short u (버그 bug, 허브 hub, 퍼블릭 public).
            vowel = "er" if i == last else "u"
        elif vow == "ㅔ" and nxt is not None and nxt[0] == "ㅇ" and nxt[1] == "ㅣ" and not fin:
            vowel = "a"  # 데이터 → data, 케이스 → case
        elif vow == "ㅏ" and nxt is not None and nxt[0] == "ㅇ" and nxt[1] == "ㅣ" and not fin:
            vowel = "i"  # 파이 → pi, 라이브러리 → library
        elif vow == "ㅣ" and i == last and not fin and ini != "ㅇ":
            vowel = "y"  # 쿼리 → query, 메모리 → memory
        else:
            vowel = _ROM_VOWEL[vow]

        # Word-final 지/치/시/션 are the English -ge/-ch/-sh/-tion endings (페이지, 패치,
        # 캐시, 세션): Korean closes those sounds with 이 rather than 으.
        if i == last and not fin and vow in "ㅣㅟ" and ini in "ㅈㅊㅅ":
            out.append({"ㅈ": "ge", "ㅊ": "ch", "ㅅ": "sh"}[ini])
            continue
        if i == last and ini == "ㅅ" and vow == "ㅕ" and fin == "ㄴ":
            out.append("tion")
            continue
        out.append(cons + vowel + _ROM_FINAL.get(fin, ""))
    text = "".join(out)
    # ㄱ받침 + 스 is an English x (리눅스, 인덱스, 익스프레스).
    text = text.replace("ngk", "nk").replace("ks", "x")
    text = re.sub(r"^(i|e)x", "ex", text)
    return re.sub(r"(.)\1+", r"\1\1", text)


def romanize(word: str) -> str:
    """Loanword-style Latin spelling of the Hangul in ``word``; other characters pass through.

    >>> romanize("도커")
    'doker'
    >>> romanize("캐시")
    'kash'
    >>> romanize("깃허브")
    'github'
    """
    w = _normalize(word)
    return re.sub(_HANGUL_RUN, lambda m: _romanize_run(m.group(0)), w)


# -- phonetic_key -----------------------------------------------------------------------------
# Both spellings collapse to one alphabet of consonant classes; vowels, h, w, y and
# non-prevocalic r are dropped because Korean and English disagree on them constantly
# (server 서버, docker 도커). What survives is what Korean spelling reliably preserves:
#   P: p f ph     B: b v       T: t          D: d
#   K: k c q x    G: g         S: s sh th c  J: j z ch soft-g
#   L: l r        M: m         N: n (ng stays N + G)
_KEY_INITIAL = {
    "ㄱ": "G", "ㄲ": "G", "ㄴ": "N", "ㄷ": "D", "ㄸ": "D", "ㄹ": "L", "ㅁ": "M", "ㅂ": "B",
    "ㅃ": "B", "ㅅ": "S", "ㅆ": "S", "ㅇ": "", "ㅈ": "J", "ㅉ": "J", "ㅊ": "J", "ㅋ": "K",
    "ㅌ": "T", "ㅍ": "P", "ㅎ": "",
}  # fmt: skip
_KEY_FINAL = {
    "ㄱ": "K", "ㄲ": "K", "ㄳ": "KS", "ㄴ": "N", "ㄵ": "NJ", "ㄶ": "N", "ㄷ": "T", "ㄹ": "L",
    "ㄺ": "LK", "ㄻ": "LM", "ㄼ": "LB", "ㄽ": "LS", "ㄾ": "LT", "ㄿ": "LP", "ㅀ": "L", "ㅁ": "M",
    "ㅂ": "P", "ㅄ": "PS", "ㅅ": "T", "ㅆ": "T", "ㅇ": "NG", "ㅈ": "T", "ㅊ": "T", "ㅋ": "K",
    "ㅌ": "T", "ㅍ": "P", "ㅎ": "",
}  # fmt: skip
_EN_VOWELS = frozenset("aeiouy")


# Vowel quality is useless across the two scripts (server 서버, data 데이터), but *where* a
# vowel sits is not: without it grafana/graphene or kubernetes/cabinets collapse together.
# Every vowel run becomes this one placeholder.
_VOWEL_MARK = "a"


def _hangul_key(run: str) -> str:
    parts: list[str] = []
    for ch in run:
        ini, vow, fin = _decompose(ch)
        if vow == "ㅡ" and not fin and ini == "ㅊ":
            parts.append("TS")  # 츠 spells English -ts/-tz (스포츠, 렛츠), not ch
        elif vow == "ㅡ" and not fin and ini == "ㅈ":
            parts.append("S")  # 즈 is mostly a voiced plural -s (윈도우즈, 레일즈)
        else:
            parts.append(_KEY_INITIAL[ini])
            # 으 is epenthetic (스트 st, 테이블 table) except before ㄴ, where it stands for
            # a real English vowel (제이슨 json, 잭슨 jackson).
            if vow != "ㅡ" or fin == "ㄴ":
                parts.append(_VOWEL_MARK)
        parts.append(_KEY_FINAL.get(fin, ""))
    return "".join(parts)


# Letter names as Korean spells them (씨 c, 에이치 h, 더블유 w), for vowelless acronyms such
# as css, http, jwt that are read out letter by letter (씨에스에스, 에이치티티피).
_LETTER_KEYS = {
    "a": "a", "b": "Ba", "c": "Sa", "d": "Da", "e": "a", "f": "aP", "g": "Ja", "h": "aJa",
    "i": "a", "j": "Ja", "k": "Ka", "l": "aL", "m": "aM", "n": "aN", "o": "a", "p": "Pa",
    "q": "Ka", "r": "aL", "s": "aS", "t": "Ta", "u": "a", "v": "Ba", "w": "DaBLa", "x": "aKS",
    "y": "a", "z": "Ja",
}  # fmt: skip


# Two-consonant word starts that English syllables allow; anything else at the start of a
# short word (cpu, gpu, sre) means an acronym read letter by letter.
_ONSETS = frozenset(
    "bl br ch cl cr dr fl fr gl gr kl kn ph pl pr sc sh sk sl sm sn sp st sw th tr tw wh wr".split()
)


def _is_acronym(word: str) -> bool:
    if len(word) > 4:
        return False
    if not any(ch in _EN_VOWELS for ch in word):
        return True
    head = word[:2]
    return len(word) > 2 and not any(ch in _EN_VOWELS for ch in head) and head not in _ONSETS


def _english_key(word: str) -> str:
    if _is_acronym(word):
        return "".join(_LETTER_KEYS[ch] for ch in word)
    w = word
    n = len(w)
    out: list[str] = []
    i = 0

    def at(j: int) -> str:
        return w[j] if 0 <= j < n else ""

    def vowel(j: int) -> bool:
        return bool(at(j)) and at(j) in _EN_VOWELS

    while i < n:
        c = w[i]
        nx = at(i + 1)
        if c in _EN_VOWELS:
            silent_e = c == "e" and i == n - 1 and i > 1 and not vowel(i - 1)
            if not silent_e:
                out.append(_VOWEL_MARK)
            i += 1
        elif c in "hw":
            i += 1
        elif c == "p":
            out.append("P")
            i += 2 if nx == "h" else 1
        elif c == "f":
            out.append("P")
            i += 1
        elif c in "bv":
            out.append("B")
            i += 1
        elif c == "t":
            if w.startswith("tch", i):
                out.append("J")
                i += 3
            elif nx == "h":
                out.append("S")  # python 파이썬, thread 스레드
                i += 2
            elif i and nx == "i" and at(i + 2) in ("a", "o"):
                out.append("S")  # -tion, -tial: 마이그레이션
                i += 1
            elif w.startswith("ture", i):
                out.append("J" + _VOWEL_MARK)  # architecture 아키텍처
                i += 4
            else:
                out.append("T")
                i += 1
        elif c == "d":
            if nx == "j" or (nx == "g" and at(i + 2) in ("e", "i", "y")):
                out.append("J")  # django 장고, edge 엣지
                i += 2
            else:
                out.append("D")
                i += 1
        elif c == "c":
            if nx == "h":
                # sch/chr/chl and tech-/arch- are Greek-style hard ch (schema, chrome,
                # technical, architecture); a final -che is French (cache 캐시).
                hard = at(i - 1) == "s" or (bool(at(i + 2)) and not vowel(i + 2))
                hard = hard or w.startswith(("tech", "mech"), max(i - 2, 0))
                hard = hard or (i == 2 and w.startswith("arch"))
                if w[i + 2 :] == "e":
                    out.append("S")
                else:
                    out.append("K" if hard else "J")
                i += 2
            elif nx == "k":
                out.append("K")
                i += 2
            elif nx in ("e", "i", "y"):
                out.append("S")
                i += 1
            else:
                out.append("K")
                i += 1
        elif c == "g":
            if nx == "h":
                if i == 0:
                    out.append("G")
                i += 2  # night, high: gh is silent inside a word
            elif nx == "n" and (i == 0 or not vowel(i + 2)):
                i += 1  # gnu, design, foreign: g before a closing n is silent
            elif nx == "g":
                out.append("G")
                i += 2
            elif nx in ("e", "i", "y") and (i > 0 or nx == "e"):
                out.append("J")  # page 페이지, engine 엔진, generator 제너레이터
                i += 1
            else:
                out.append("G")
                i += 1
        elif c == "j":
            out.append("J")
            i += 1
        elif c == "z":
            # A closing z is written 즈 like a plural s (사이즈, 시퀄라이즈); otherwise ㅈ.
            out.append("S" if w[i + 1 :] in ("", "e", "s", "es") else "J")
            i += 1
        elif c == "s":
            if nx == "h":
                out.append("S")
                i += 2
            elif nx == "c" and at(i + 2) == "h":
                out.append("SK")
                i += 3
            elif (vowel(i - 1) or at(i - 1) in ("r", "w")) and w.startswith(
                ("ser", "sure", "sual", "sion"), i
            ):
                out.append("J")  # user 유저, closure 클로저, visual 비주얼, version 버전
                i += 1
            else:
                out.append("S")
                i += 1
        elif c in "kq":
            if c == "k" and i == 0 and nx == "n":
                i += 1  # knowledge: silent k
                continue
            out.append("K")
            i += 1
        elif c == "x":
            out.append("J" if i == 0 and vowel(1) else "KS")  # xamarin 자마린, index 인덱스
            i += 1
        elif c == "l":
            out.append("L")
            i += 1
        elif c == "r":
            # Only a prevocalic r is written in Korean (레디스, 그라파나); server → 서버.
            if vowel(i + 1) and w[i + 1 :] not in ("e", "ed", "es"):
                out.append("L")
            i += 1
        elif c == "m":
            out.append("M")
            i += 1
        elif c == "n":
            # Korean writes a syllable-final nk as ㅇ+ㅋ (링크, 싱크), i.e. "ng"; across a
            # syllable break it stays ㄴ (젠킨스 jenkins).
            velar = nx in ("k", "q", "x") or (nx == "c" and at(i + 2) not in ("e", "i", "y", "h"))
            out.append("NG" if velar and not vowel(i + 2) else "N")
            i += 1
        else:
            i += 1
    if w.endswith(("sh", "ch", "che", "ge")):
        # Korean closes these with 이, not 으 (캐시 cache, 패치 patch, 페이지 page).
        out.append(_VOWEL_MARK)
    return "".join(out)


def _collapse(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


def phonetic_key(text: str) -> str:
    """Coarse consonant-class key: phonetic_key("kubernetes") == phonetic_key("쿠버네티스").

    Works on English, Hangul or a mix; anything else is ignored. Compare keys with a fuzzy
    ratio: they are deliberately lossy, so equal keys mean "sounds alike", not "same word".
    """
    w = _normalize(text)
    parts: list[str] = []
    for m in re.finditer(_WORD_RUN, w):
        run = m.group(0)
        parts.append(_hangul_key(run) if _is_syllable(run[0]) else _english_key(run))
    return _collapse("".join(parts))
