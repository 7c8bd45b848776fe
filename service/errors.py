"""Domain errors and the one place that turns every failure into ``{"error": {code, message}}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("recruitscan")


class ApiError(Exception):
    """An error a client can act on: an HTTP status, a stable code and a sentence."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def _location(loc: tuple) -> str:
    parts = [str(p) for p in loc if p != "body"]
    path = ""
    for part in parts:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or "body"


def _describe(error: dict) -> tuple[int, str, str]:
    kind = error.get("type", "")
    where = _location(tuple(error.get("loc", ())))
    if kind == "json_invalid":
        return (
            400,
            "malformed_json",
            "the request body is not valid JSON: "
            + str(error.get("ctx", {}).get("error", "check quotes, commas and brackets")),
        )
    if kind == "extra_forbidden":
        return (
            422,
            "unknown_field",
            f"unknown field '{where}'; remove it (see /docs for the schema)",
        )
    if kind == "missing":
        if where == "body":
            return 400, "missing_body", "the request needs a JSON body (see /docs for the schema)"
        return 422, "missing_field", f"field '{where}' is required"
    expected = error.get("msg", "has the wrong type")
    return 422, "invalid_type", f"field '{where}': {expected}"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = error.errors()
        status, code, message = (
            _describe(errors[0]) if errors else (422, "invalid_request", "invalid request")
        )
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        return error_response(status, code, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
        message = str(error.detail)
        if error.status_code == 404:
            message = f"no endpoint at {request.url.path}; see /docs for the API"
        elif error.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs"
        return error_response(
            error.status_code, codes.get(error.status_code, "http_error"), message
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(
            500, "internal_error", "the service failed on this request; it was logged"
        )
