"""The HTTP gateway adapter against a real local HTTP server: payload, auth, and how each answer maps
to sent / transient / permanent."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from notifications.sms import HttpGatewaySmsBackend, PermanentSendError, TransientSendError


@pytest.fixture
def gateway():
    state = {"status": 200, "requests": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state["requests"].append({"auth": self.headers.get("Authorization"), "json": json.loads(body)})
            self.send_response(state["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"id": "msg-42"}).encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_port}/send"
    yield state
    server.shutdown()


def test_gateway_receives_phone_text_out_id_and_token(gateway):
    backend = HttpGatewaySmsBackend(url=gateway["url"], token="secret-token")
    assert backend.send(phone="13800000000", text="【人大主席团】提醒", reference="d7") == "msg-42"
    assert gateway["requests"] == [
        {
            "auth": "Bearer secret-token",
            "json": {"phone": "13800000000", "text": "【人大主席团】提醒", "out_id": "d7"},
        }
    ]


@pytest.mark.parametrize(
    ("status", "error"), [(503, TransientSendError), (429, TransientSendError), (400, PermanentSendError)]
)
def test_gateway_answers_map_to_retry_or_give_up(gateway, status, error):
    gateway["status"] = status
    with pytest.raises(error):
        HttpGatewaySmsBackend(url=gateway["url"], token="").send(
            phone="13800000000", text="x", reference="d1"
        )


def test_unreachable_gateway_is_transient():
    with pytest.raises(TransientSendError):
        HttpGatewaySmsBackend(url="http://127.0.0.1:9/send", token="").send(
            phone="1", text="x", reference="d1"
        )


def test_gateway_without_url_is_a_configuration_error(settings):
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(PermanentSendError):
        HttpGatewaySmsBackend()
