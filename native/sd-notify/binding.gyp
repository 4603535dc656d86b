# One Node-API addon (ABI-stable: built once, loads on every Node from 20 on) that sends one
# AF_UNIX datagram from the calling process. Node has no AF_UNIX SOCK_DGRAM socket of its own.
{
  "targets": [
    {
      "target_name": "sd_notify",
      "sources": ["sd_notify.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
