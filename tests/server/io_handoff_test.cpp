// IoHandoff (io_handoff.hpp) on a real io_context run by its own thread: what a thread
// outside it hands over runs on the io thread, in order, with one post per batch; what is
// handed over while a batch runs waits for it; discard() drops what never ran.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "io_handoff.hpp"

namespace rembuk::server {
namespace {

namespace asio = boost::asio;

// An io_context on a thread of its own, and an IoHandoff into it that counts its posts.
struct IoThread {
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(ioc);
  std::atomic<int> posts{0};
  IoHandoff handoff{[this](IoHandoff::Task task) {
    posts.fetch_add(1);
    asio::post(ioc, std::move(task));
  }};
  std::thread thread;
  std::thread::id id;

  IoThread() {
    std::promise<std::thread::id> started;
    auto started_id = started.get_future();
    thread = std::thread([this, &started] {
      started.set_value(std::this_thread::get_id());
      ioc.run();
    });
    id = started_id.get();
  }
  ~IoThread() {
    work.reset();
    ioc.stop();
    thread.join();
  }

  // Blocks the io thread until the returned promise is set.
  std::shared_ptr<std::promise<void>> block() {
    auto release = std::make_shared<std::promise<void>>();
    std::promise<void> blocked;
    auto is_blocked = blocked.get_future();
    asio::post(ioc, [release, &blocked] {
      blocked.set_value();
      release->get_future().wait();
    });
    is_blocked.wait();
    return release;
  }
};

TEST(IoHandoff, TasksHandedOverTogetherRunInOrderOnTheIoThreadAfterOnePost) {
  IoThread io;
  auto release = io.block();
  std::mutex mutex;
  std::vector<int> ran;
  std::vector<std::thread::id> threads;
  std::promise<void> last;
  for (int i = 0; i < 50; ++i) {
    io.handoff.hand_over([&, i] {
      std::lock_guard lock(mutex);
      ran.push_back(i);
      threads.push_back(std::this_thread::get_id());
      if (i == 49) last.set_value();
    });
  }
  EXPECT_EQ(io.posts.load(), 1);
  release->set_value();
  last.get_future().wait();
  std::lock_guard lock(mutex);
  ASSERT_EQ(ran.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(ran[i], i);
  for (const auto& id : threads) EXPECT_EQ(id, io.id);
}

TEST(IoHandoff, WhatArrivesWhileABatchRunsRunsAfterItWithANewPost) {
  IoThread io;
  std::vector<int> ran;  // only touched on the io thread
  std::promise<void> first_running;
  std::promise<void> go_on;
  std::promise<void> done;
  io.handoff.hand_over([&] {
    ran.push_back(1);
    first_running.set_value();
    go_on.get_future().wait();
  });
  first_running.get_future().wait();
  io.handoff.hand_over([&] { ran.push_back(2); });
  io.handoff.hand_over([&] {
    ran.push_back(3);
    done.set_value();
  });
  EXPECT_EQ(io.posts.load(), 1) << "a batch is running: the next one waits for it";
  go_on.set_value();
  done.get_future().wait();
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(io.posts.load(), 2);

  // Once idle, the next task posts again.
  std::promise<void> again;
  io.handoff.hand_over([&] { again.set_value(); });
  again.get_future().wait();
  EXPECT_EQ(io.posts.load(), 3);
}

TEST(IoHandoff, DiscardDropsWhatNeverRan) {
  IoThread io;
  auto release = io.block();
  std::atomic<int> runs{0};
  auto held = std::make_shared<int>(7);
  std::weak_ptr<int> watch = held;
  io.handoff.hand_over([&runs, held = std::move(held)] { runs.fetch_add(1); });
  io.handoff.discard();
  EXPECT_TRUE(watch.expired()) << "the task, and what it held, are gone";
  release->set_value();
  std::promise<void> after;
  asio::post(io.ioc, [&] { after.set_value(); });
  after.get_future().wait();
  EXPECT_EQ(runs.load(), 0);
}

}  // namespace
}  // namespace rembuk::server
