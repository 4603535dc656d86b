# One Node-API addon (ABI-stable: built once, loads on every Node from 20 on) for what Node has no
# API for: one AF_UNIX datagram from the calling process (sd_notify), and prctl/waitpid for a
# child subreaper, getxattr for a delegated cgroup, and poll for a closed output (process_control.c),
# and the kernel's TCP sockets over netlink (sock_diag.c).
{
  "targets": [
    {
      "target_name": "sd_notify",
      "sources": ["sd_notify.c", "process_control.c", "sock_diag.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
