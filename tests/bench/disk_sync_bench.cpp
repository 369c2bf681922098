// disk-sync: what one commit-like fdatasync costs on this disk, by where its pages are.
//
// The question behind the log's file ahead (docs/event-record.md): a commit writes a few
// scattered pages inside the file and a few new ones at its end, then syncs. Three files:
//   extend      the new pages grow the file at every sync (LMDB alone);
//   zeroed      the new pages land where zeros were written beforehand (the file ahead);
//   fallocated  the new pages land in fallocate()d space (unwritten extents).
// With --zeroing-step-kib K, a second thread keeps zeroing further ahead in the zeroed file
// as the log's reserve thread does (O_DIRECT steps of K KiB, each synced, paced at half the
// disk's time), to show what that costs the commits.
//
//   rembuk-bench disk-sync [--dir DIR] [--syncs 2000] [--scattered 6] [--appended 3]
//                          [--zeroing-step-kib 0]
// Output: {"scenario":"disk-sync","extend_p50_us",…,"zeroed_p99_us",…,"fallocated_p50_us",…}
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "percentile.hpp"
#include "scenarios.hpp"

namespace rembuk::bench {
namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kSpan = 256;  // scattered pages fall within the first 1 MiB

struct DiskSyncArgs {
  std::string dir;
  int syncs = 2000;
  int scattered = 6;
  int appended = 3;
  std::size_t zeroing_step_kib = 0;
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-bench disk-sync: %s: %s\n", why.c_str(), std::strerror(errno));
  std::exit(1);
}

struct Figures {
  double p50 = 0;
  double p99 = 0;
  double max = 0;
};

enum class Layout { extend, zeroed, fallocated };

void write_all(int fd, const void* data, std::size_t size, off_t at) {
  if (::pwrite(fd, data, size, at) != static_cast<ssize_t>(size)) die("pwrite");
}

Figures run_layout(const DiskSyncArgs& args, const std::string& path, Layout layout) {
  // Zeroed / fallocated before the run: every page the syncs append, and 1 MiB more.
  const std::size_t mib_bytes = 1u << 20;
  const std::size_t appended_bytes =
      static_cast<std::size_t>(args.syncs) * static_cast<std::size_t>(args.appended) * kPage;
  const std::size_t ahead = (appended_bytes / mib_bytes + 2) * mib_bytes;
  std::filesystem::remove(path);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) die("open " + path);
  const std::vector<char> mib(1u << 20, 0);
  for (std::size_t at = 0; at < kSpan * kPage; at += mib.size())
    write_all(fd, mib.data(), mib.size(), static_cast<off_t>(at));
  const off_t end_of_span = static_cast<off_t>(kSpan * kPage);
  if (layout == Layout::zeroed) {
    for (std::size_t at = 0; at < ahead; at += mib.size()) {
      write_all(fd, mib.data(), mib.size(), end_of_span + static_cast<off_t>(at));
    }
  } else if (layout == Layout::fallocated) {
    if (::fallocate(fd, 0, end_of_span, static_cast<off_t>(ahead)) != 0) die("fallocate");
  }
  if (::fsync(fd) != 0) die("fsync");

  // The reserve thread's stand-in: zeroes past the pre-zeroed range, paced like the log's.
  std::atomic<bool> stop{false};
  std::thread zeroing;
  if (layout == Layout::zeroed && args.zeroing_step_kib > 0) {
    zeroing = std::thread([&] {
      const int direct = ::open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
      if (direct < 0) die("open O_DIRECT");
      const std::size_t step = args.zeroing_step_kib << 10;
      void* raw = std::aligned_alloc(4096, step);
      if (raw == nullptr) die("aligned_alloc");
      std::unique_ptr<void, decltype(&std::free)> zeros(raw, &std::free);
      std::memset(zeros.get(), 0, step);
      off_t at = end_of_span + static_cast<off_t>(ahead);
      while (!stop) {
        const auto began = std::chrono::steady_clock::now();
        write_all(direct, zeros.get(), step, at);
        if (::fdatasync(direct) != 0) die("fdatasync (zeroing)");
        at += static_cast<off_t>(step);
        std::this_thread::sleep_for(std::chrono::steady_clock::now() - began);
      }
      ::close(direct);
    });
  }

  std::vector<char> page(kPage, 7);
  std::mt19937 random(42);
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(args.syncs));
  off_t next = end_of_span;
  for (int i = 0; i < args.syncs; ++i) {
    const auto began = std::chrono::steady_clock::now();
    for (int k = 0; k < args.scattered; ++k) {
      write_all(fd, page.data(), kPage, static_cast<off_t>((random() % kSpan) * kPage));
    }
    for (int k = 0; k < args.appended; ++k) {
      write_all(fd, page.data(), kPage, next);
      next += static_cast<off_t>(kPage);
    }
    if (::fdatasync(fd) != 0) die("fdatasync");
    latencies.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - began)
            .count());
  }
  stop = true;
  if (zeroing.joinable()) zeroing.join();
  ::close(fd);
  std::filesystem::remove(path);
  std::sort(latencies.begin(), latencies.end());
  return Figures{sorted_percentile(latencies, 0.50), sorted_percentile(latencies, 0.99),
                 latencies.back()};
}

void run(const DiskSyncArgs& args) {
  if (args.syncs < 1 || args.scattered < 0 || args.appended < 1) {
    std::fprintf(stderr, "rembuk-bench disk-sync: --syncs and --appended must be >= 1\n");
    std::exit(1);
  }
  const std::string dir =
      args.dir.empty() ? std::filesystem::temp_directory_path().string() : args.dir;
  const std::string path = dir + "/rembuk-disk-sync-" + std::to_string(::getpid());
  const Figures extend = run_layout(args, path, Layout::extend);
  const Figures zeroed = run_layout(args, path, Layout::zeroed);
  const Figures fallocated = run_layout(args, path, Layout::fallocated);
  std::printf(
      "{\"scenario\":\"disk-sync\",\"extend_p50_us\":%.0f,\"extend_p99_us\":%.0f,"
      "\"extend_max_us\":%.0f,\"zeroed_p50_us\":%.0f,\"zeroed_p99_us\":%.0f,"
      "\"zeroed_max_us\":%.0f,\"fallocated_p50_us\":%.0f,\"fallocated_p99_us\":%.0f,"
      "\"fallocated_max_us\":%.0f,\"syncs\":%d,\"scattered\":%d,\"appended\":%d,"
      "\"zeroing_step_kib\":%zu}\n",
      extend.p50, extend.p99, extend.max, zeroed.p50, zeroed.p99, zeroed.max, fallocated.p50,
      fallocated.p99, fallocated.max, args.syncs, args.scattered, args.appended,
      args.zeroing_step_kib);
}

}  // namespace

void add_disk_sync_scenario(CLI::App& app) {
  auto* command = app.add_subcommand(
      "disk-sync", "fdatasync of a commit's pages: growing the file, into zeros, into fallocate");
  auto args = std::make_shared<DiskSyncArgs>();
  command->add_option("--dir", args->dir, "Where the test file goes (default: the temp folder)");
  command->add_option("--syncs", args->syncs, "Syncs per layout")->capture_default_str();
  command->add_option("--scattered", args->scattered, "Pages rewritten in place per sync")
      ->capture_default_str();
  command->add_option("--appended", args->appended, "New pages at the end per sync")
      ->capture_default_str();
  command
      ->add_option("--zeroing-step-kib", args->zeroing_step_kib,
                   "With the zeroed layout, a thread zeroing further ahead in steps of this "
                   "many KiB (0: none)")
      ->capture_default_str();
  command->callback([args] { run(*args); });
}

}  // namespace rembuk::bench
