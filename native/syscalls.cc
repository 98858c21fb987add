// The native half of tsbpf: raw system calls and event-loop readiness, nothing else.
// Every decision (struct layout, retries, error wording) lives in TypeScript. Calls return
// the kernel's result, or -errno on failure, so JavaScript sees errno without string parsing.
#include <napi.h>
#include <uv.h>
#include <errno.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace {

int64_t Result(long rc) { return rc < 0 ? -static_cast<int64_t>(errno) : rc; }

Napi::Value Number(Napi::Env env, int64_t v) { return Napi::Number::New(env, static_cast<double>(v)); }

// bpf(cmd, attr): attr is a Uint8Array holding a packed union bpf_attr.
Napi::Value Bpf(const Napi::CallbackInfo& info) {
  int cmd = info[0].As<Napi::Number>().Int32Value();
  auto attr = info[1].As<Napi::Uint8Array>();
  long rc = syscall(__NR_bpf, cmd, attr.Data(), static_cast<unsigned int>(attr.ByteLength()));
  return Number(info.Env(), Result(rc));
}

// perf_event_open(attr, pid, cpu, group_fd, flags)
Napi::Value PerfEventOpen(const Napi::CallbackInfo& info) {
  auto attr = info[0].As<Napi::Uint8Array>();
  int pid = info[1].As<Napi::Number>().Int32Value();
  int cpu = info[2].As<Napi::Number>().Int32Value();
  int group = info[3].As<Napi::Number>().Int32Value();
  unsigned long flags = info[4].As<Napi::Number>().Uint32Value();
  long rc = syscall(__NR_perf_event_open, attr.Data(), pid, cpu, group, flags);
  return Number(info.Env(), Result(rc));
}

// ioctl(fd, request, arg): arg is a number or bigint passed through as an unsigned long.
Napi::Value Ioctl(const Napi::CallbackInfo& info) {
  int fd = info[0].As<Napi::Number>().Int32Value();
  unsigned long request = info[1].As<Napi::Number>().Uint32Value();
  unsigned long arg = 0;
  if (info[2].IsBigInt()) {
    bool lossless;
    arg = info[2].As<Napi::BigInt>().Uint64Value(&lossless);
  } else if (info[2].IsNumber()) {
    arg = static_cast<unsigned long>(info[2].As<Napi::Number>().Int64Value());
  }
  return Number(info.Env(), Result(ioctl(fd, request, arg)));
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  return Number(info.Env(), Result(close(info[0].As<Napi::Number>().Int32Value())));
}

// The address of a typed array's first byte, for pointer fields inside packed structs.
Napi::Value AddressOf(const Napi::CallbackInfo& info) {
  auto view = info[0].As<Napi::TypedArray>();
  auto base = static_cast<uint8_t*>(view.ArrayBuffer().Data()) + view.ByteOffset();
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(reinterpret_cast<uintptr_t>(base)));
}

struct Mapping {
  void* address;
  size_t length;
  bool mapped;
};
std::mutex mappingsLock;
std::unordered_map<void*, Mapping*> mappings;

void FinalizeMapping(Napi::Env, void*, Mapping* mapping) {
  std::lock_guard<std::mutex> guard(mappingsLock);
  if (mapping->mapped) {
    munmap(mapping->address, mapping->length);
    mappings.erase(mapping->address);
  }
  delete mapping;
}

// mmap(fd, length, prot, flags, offset) -> ArrayBuffer over the mapping, or -errno.
Napi::Value Mmap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  size_t length = static_cast<size_t>(info[1].As<Napi::Number>().Int64Value());
  int prot = info[2].As<Napi::Number>().Int32Value();
  int flags = info[3].As<Napi::Number>().Int32Value();
  off_t offset = static_cast<off_t>(info[4].As<Napi::Number>().Int64Value());
  void* address = mmap(nullptr, length, prot, flags, fd, offset);
  if (address == MAP_FAILED) return Number(env, -static_cast<int64_t>(errno));
  auto* mapping = new Mapping{address, length, true};
  {
    std::lock_guard<std::mutex> guard(mappingsLock);
    mappings[address] = mapping;
  }
  return Napi::ArrayBuffer::New(env, address, length, FinalizeMapping, mapping);
}

// munmap(arrayBuffer): unmaps and detaches, so a stale view cannot touch freed memory.
Napi::Value Munmap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto buffer = info[0].As<Napi::ArrayBuffer>();
  void* address = buffer.Data();
  Mapping* mapping = nullptr;
  {
    std::lock_guard<std::mutex> guard(mappingsLock);
    auto found = mappings.find(address);
    if (found == mappings.end() || !found->second->mapped) return Number(env, -EINVAL);
    mapping = found->second;
    mapping->mapped = false;
    mappings.erase(found);
  }
  int rc = munmap(mapping->address, mapping->length);
  buffer.Detach();
  return Number(env, Result(rc));
}

// Readiness on a file descriptor through libuv, so waiting never blocks or spins the loop.
struct Watch {
  uv_poll_t handle;
  Napi::FunctionReference callback;
  Napi::Env env;
  bool closed;
};

void OnReadable(uv_poll_t* handle, int status, int events) {
  auto* watch = static_cast<Watch*>(handle->data);
  if (watch->closed) return;
  Napi::HandleScope scope(watch->env);
  watch->callback.Call({Napi::Number::New(watch->env, status), Napi::Number::New(watch->env, events)});
}

void OnClosed(uv_handle_t* handle) {
  auto* watch = static_cast<Watch*>(handle->data);
  watch->callback.Reset();
  delete watch;
}

Napi::Value PollStart(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  auto callback = info[1].As<Napi::Function>();
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  auto* watch = new Watch{uv_poll_t{}, Napi::Persistent(callback), env, false};
  int rc = uv_poll_init(loop, &watch->handle, fd);
  if (rc == 0) {
    watch->handle.data = watch;
    rc = uv_poll_start(&watch->handle, UV_READABLE, OnReadable);
    if (rc != 0) {
      watch->closed = true;
      uv_close(reinterpret_cast<uv_handle_t*>(&watch->handle), OnClosed);
      return Number(env, rc);
    }
  } else {
    watch->callback.Reset();
    delete watch;
    return Number(env, rc);
  }
  return Napi::External<Watch>::New(env, watch);
}

Napi::Value PollStop(const Napi::CallbackInfo& info) {
  auto* watch = info[0].As<Napi::External<Watch>>().Data();
  if (!watch->closed) {
    watch->closed = true;
    uv_poll_stop(&watch->handle);
    uv_close(reinterpret_cast<uv_handle_t*>(&watch->handle), OnClosed);
  }
  return info.Env().Undefined();
}

// Whether the poll handle keeps Node alive; a session unrefs it when it should not hold the process.
Napi::Value PollRef(const Napi::CallbackInfo& info) {
  auto* watch = info[0].As<Napi::External<Watch>>().Data();
  if (!watch->closed) {
    if (info[1].As<Napi::Boolean>().Value()) uv_ref(reinterpret_cast<uv_handle_t*>(&watch->handle));
    else uv_unref(reinterpret_cast<uv_handle_t*>(&watch->handle));
  }
  return info.Env().Undefined();
}

// setrlimit(RLIMIT_MEMLOCK, infinity): may fail (no CAP_SYS_RESOURCE); the caller decides.
Napi::Value RaiseMemlockLimit(const Napi::CallbackInfo& info) {
  struct rlimit limit = {RLIM_INFINITY, RLIM_INFINITY};
  return Number(info.Env(), Result(setrlimit(RLIMIT_MEMLOCK, &limit)));
}

Napi::Value PageSize(const Napi::CallbackInfo& info) {
  return Number(info.Env(), sysconf(_SC_PAGESIZE));
}

Napi::Value GetTid(const Napi::CallbackInfo& info) {
  return Number(info.Env(), syscall(__NR_gettid));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports["bpf"] = Napi::Function::New(env, Bpf);
  exports["perfEventOpen"] = Napi::Function::New(env, PerfEventOpen);
  exports["ioctl"] = Napi::Function::New(env, Ioctl);
  exports["close"] = Napi::Function::New(env, Close);
  exports["addressOf"] = Napi::Function::New(env, AddressOf);
  exports["mmap"] = Napi::Function::New(env, Mmap);
  exports["munmap"] = Napi::Function::New(env, Munmap);
  exports["pollStart"] = Napi::Function::New(env, PollStart);
  exports["pollStop"] = Napi::Function::New(env, PollStop);
  exports["pollRef"] = Napi::Function::New(env, PollRef);
  exports["raiseMemlockLimit"] = Napi::Function::New(env, RaiseMemlockLimit);
  exports["pageSize"] = Napi::Function::New(env, PageSize);
  exports["gettid"] = Napi::Function::New(env, GetTid);
  return exports;
}

}  // namespace

NODE_API_MODULE(tsbpf_native, Init)
