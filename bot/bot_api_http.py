"""The bot's HTTP client for the Bot API: python-telegram-bot's network interface on aiohttp.

PTB talks to Telegram through a ``BaseRequest``; its default one is built on httpx. Measured on
the bot's own traffic (docs/benchmarks.md), a request through httpx and httpcore costs about four
times the CPU of the same request through aiohttp: httpcore checks every idle pooled connection
(a system call each) and crosses anyio's locks and cancel scopes on every request. The bot makes
one to three Bot API calls per update, so that difference is most of what an update costs.
aiohttp is a well-kept client (the test suite's fake Bot API server runs on it too); PTB documents
``BaseRequest`` as the place to plug in another library.

Behaviour kept from PTB's default: the same default timeouts (5 s to connect, read and write;
1 s to wait for a free pooled connection; 20 s to write an upload), timeouts raised as
``TimedOut`` and other transport failures as ``NetworkError``, HTTP(S)_PROXY and NO_PROXY honoured
(read once per host: aiohttp's own ``trust_env`` looks them and ~/.netrc up in a thread on every
request).
"""

from __future__ import annotations

import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULT_TIMEOUT = 5.0
DEFAULT_POOL_TIMEOUT = 1.0
MEDIA_WRITE_TIMEOUT = 20.0


class AiohttpRequest(BaseRequest):
    __slots__ = ("_connections", "_proxies", "_read_timeout", "_session")

    def __init__(self, connections: int = 1, *, read_timeout: float = DEFAULT_TIMEOUT) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        # Made here, not in __init__: an aiohttp session belongs to the running event loop.
        if self._session is None or self._session.closed:
            # ssl=True: Telegram's certificate is verified against the system's CA store, with the
            # TLS context aiohttp builds once when it is imported (building one costs ~40 ms).
            connector = aiohttp.TCPConnector(limit=self._connections, ssl=True)
            # The Bot API sets no cookies: a jar would only be consulted on every request.
            self._session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        uploads = request_data.multipart_data if request_data is not None else {}
        data = _body(request_data, uploads)
        write = _given(write_timeout, MEDIA_WRITE_TIMEOUT if uploads else DEFAULT_TIMEOUT)
        read = _given(read_timeout, self._read_timeout)
        timeout = aiohttp.ClientTimeout(
            # aiohttp has no write timeout of its own: the whole exchange gets write + read time.
            total=None if write is None or read is None else write + read,
            connect=_given(pool_timeout, DEFAULT_POOL_TIMEOUT),  # a free connection, then connecting
            sock_connect=_given(connect_timeout, DEFAULT_TIMEOUT),
            sock_read=read,
        )
        try:
            async with self._session.request(
                method,
                url,
                data=data,
                timeout=timeout,
                headers={"User-Agent": self.USER_AGENT},
                proxy=self._proxy_for(url),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts subclass it
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _proxy_for(self, url: str) -> str | None:
        """The proxy the environment names for this URL's scheme and host (None: connect directly)."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            bypass = urllib.request.proxy_bypass(key[1]) if key[1] else False
            self._proxies[key] = None if bypass else urllib.request.getproxies().get(key[0])
        return self._proxies[key]


def _given(value: Any, default: float | None) -> float | None:
    """PTB passes DEFAULT_NONE for "not given by the caller": use the default then."""
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value


def _body(request_data: RequestData | None, uploads: dict[str, Any]) -> Any:
    """Form-encoded parameters, or a multipart form when there are files to upload."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not uploads:
        return fields or None
    form = aiohttp.FormData(fields)
    for name, (filename, content, mimetype) in uploads.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
