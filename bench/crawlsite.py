"""``python -m bench.crawlsite``: a generated site of many hosts for the crawl
benchmark, one asyncio server per loopback address (127.0.0.2, 127.0.0.3 …).

Each host has robots.txt, TRS-style list pages (index.html, index_1.html …, 20
links each) and article pages in a gov template with share bars, breadcrumbs and
footers. HTTP/1.1 with keep-alive; it prints ``ready`` once every host listens.

The site keeps a log of the requests it served, ``(host, path, start, end)`` with
start when the request head is read and end when the response is written, so a
benchmark can check the crawler rather than trust it: each article served once, no
two requests to a host overlapping, the delay between them. ``GET /_bench/log`` on
any host returns the log as JSON and empties it (it is never linked, nor logged).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import time

__all__ = ["article_page", "host_ips", "list_page"]

PER_LIST = 20
LOG_PATH = "/_bench/log"
_LOG: list[tuple[int, str, float, float]] = []  # host, path, start, end (monotonic seconds)
_SENTENCES = (
    "示例市教育局近日召开专题会议，研究部署新学期重点工作。",
    "会议强调，要把立德树人作为根本任务，持续推进课堂教学改革。",
    "各学校要认真落实课后服务制度，丰富学生课余生活。",
    "今年全市新建改扩建中小学校十二所，新增学位一万余个。",
    "教师队伍建设方面，将组织开展全员培训和骨干教师研修。",
    "下一步，市教育局将加强督导检查，确保各项措施落到实处。",
    "家长和学生可通过官方网站查询招生政策和入学办理流程。",
    "各地要做好校园安全隐患排查，落实食品安全主体责任。",
    "职业教育方面，将深化产教融合，推动校企合作共建实训基地。",
    "学前教育普惠资源持续扩大，普惠性幼儿园覆盖率稳步提升。",
)


def host_ips(count: int) -> list[str]:
    return [f"127.0.0.{2 + i}" for i in range(count)]


def list_page(host: int, page: int, pages: int, per_host: int) -> str:
    first = page * PER_LIST
    items = "\n".join(
        f'<li><a href="./202410/t20241001_{n}.html">第{n}号通知</a><span>2024-10-01</span></li>'
        for n in range(first, min(first + PER_LIST, per_host)))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head><body>'
            f'<div class="position">当前位置：首页 &gt; 通知公告</div><ul class="list">{items}</ul>'
            f'<script>createPageHTML({pages}, {page}, "index", "html");</script></body></html>')


def article_page(host: int, n: int) -> str:
    seed = hashlib.sha1(f"{host}-{n}".encode()).digest()
    paragraphs = "\n".join(
        "<p>" + "".join(_SENTENCES[(seed[i] + j) % len(_SENTENCES)] for j in range(3)) + "</p>"
        for i in range(6))
    title = f"示例市教育局第{n}号通知（站点{host}）"
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2024-10-01 09:00">
<meta name="ContentSource" content="示例市教育局"><title>{title}_示例市教育局</title></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/list/index.html">通知公告</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/list/index.html">通知公告</a></div>
<h1>{title}</h1><div class="info"><span>发布时间：2024-10-01 09:00</span><span>信息来源：示例市教育局</span></div>
<div class="TRS_Editor">{paragraphs}</div>
<div class="bshare-custom"><a title="分享到微信" class="bshare-weixin"></a></div>
<div class="article-btn">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="xg-list"><div class="xg-title">相关阅读</div><ul><li><a href="/list/index.html">更多通知</a></li></ul></div>
<div class="footer"><p>版权所有：示例市教育局</p><p>示ICP备12345678号</p></div></body></html>"""


def _route(host: int, path: str, per_host: int) -> tuple[int, str, str]:
    pages = -(-per_host // PER_LIST)
    if path == "/robots.txt":
        return 200, "text/plain", "User-agent: *\nAllow: /\n"
    if path.startswith("/list/index"):
        stem = path.removeprefix("/list/index").removesuffix(".html")
        page = int(stem[1:]) if stem.startswith("_") and stem[1:].isdigit() else 0
        if page < pages:
            return 200, "text/html; charset=utf-8", list_page(host, page, pages, per_host)
    if path.startswith("/list/202410/t20241001_") and path.endswith(".html"):
        n = path.rsplit("_", 1)[1].removesuffix(".html")
        if n.isdigit() and int(n) < per_host:
            return 200, "text/html; charset=utf-8", article_page(host, int(n))
    return 404, "text/html", "<html><body>404</body></html>"


async def _serve(host: int, per_host: int, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            start = time.monotonic()
            path = head.split(b" ", 2)[1].decode("latin-1").split("?", 1)[0]
            if path == LOG_PATH:
                status, ctype, text = 200, "application/json", json.dumps(_LOG)
                _LOG.clear()
            else:
                status, ctype, text = _route(host, path, per_host)
            body = text.encode("utf-8")
            writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: "
                         f"{len(body)}\r\nConnection: keep-alive\r\n\r\n".encode() + body)
            await writer.drain()
            if path != LOG_PATH:
                _LOG.append((host, path, start, time.monotonic()))
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(hosts: int, per_host: int, port: int) -> None:
    servers = []
    for i, ip in enumerate(host_ips(hosts)):
        servers.append(await asyncio.start_server(
            lambda r, w, h=i: _serve(h, per_host, r, w), ip, port, backlog=512))
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--pages", type=int, default=200, help="articles per host")
    parser.add_argument("--port", type=int, default=8700)
    args = parser.parse_args()
    asyncio.run(main(args.hosts, args.pages, args.port))
