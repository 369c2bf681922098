// Properties of the text type over many seeded random texts and operations: concurrent
// operations converge in every order the server and its clients apply them, compose agrees
// with applying one after the other, the inverse undoes. Each test prints its seed on failure;
// REMBUK_TEXT_SEED=<n> reruns one seed, REMBUK_TEXT_ROUNDS=<n> runs more rounds.
#include <cstdlib>
#include <random>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "random_ops.hpp"

namespace rembuk::model::text::testing {
namespace {

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::strtoull(value, nullptr, 10);
}

std::string show(const Operation& op) { return boost::json::serialize(encode(op)); }

std::string must_apply(std::string_view text, const Operation& op) {
  auto result = text::apply(text, op);
  EXPECT_TRUE(result) << "apply " << show(op) << " to '" << text << "': "
                      << (result ? "" : result.error().message);
  return result ? result.value() : std::string();
}

class TextProperties : public ::testing::Test {
 protected:
  template <typename Body>
  void for_each_seed(Body body) {
    const std::uint64_t one = env_or("REMBUK_TEXT_SEED", 0);
    const std::uint64_t rounds = env_or("REMBUK_TEXT_ROUNDS", 3000);
    for (std::uint64_t seed = one != 0 ? one : 1; seed <= (one != 0 ? one : rounds); ++seed) {
      std::mt19937_64 rng(seed);
      SCOPED_TRACE("REMBUK_TEXT_SEED=" + std::to_string(seed));
      body(rng);
      if (HasFailure()) return;
    }
  }
};

TEST_F(TextProperties, RandomOperationsApplyAndRoundTripThroughJson) {
  for_each_seed([](std::mt19937_64& rng) {
    const std::string doc = random_text(rng, 12);
    const Operation op = random_op(rng, code_points(doc));
    const std::string after = must_apply(doc, op);
    EXPECT_EQ(code_points(after), code_points(doc) + length_change(op));
    auto decoded = decode(encode(op));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value(), op);
  });
}

TEST_F(TextProperties, TwoConcurrentOperationsConverge) {
  for_each_seed([](std::mt19937_64& rng) {
    const std::string doc = random_text(rng, 12);
    const Operation a = random_op(rng, code_points(doc));
    const Operation b = random_op(rng, code_points(doc));
    // The log holds a, then b: the server turns b into b' = T(b, a, right); a's author, who
    // has applied a, receives b'. b's author has applied b and receives a, which it moves
    // over its own b: a' = T(a, b, left).
    const std::string at_a = must_apply(must_apply(doc, a), transform(b, a, Side::right));
    const std::string at_b = must_apply(must_apply(doc, b), transform(a, b, Side::left));
    EXPECT_EQ(at_a, at_b) << "doc '" << doc << "' a " << show(a) << " b " << show(b);
  });
}

TEST_F(TextProperties, ThreeConcurrentOperationsConvergeAtTheServerAndEveryClient) {
  for_each_seed([](std::mt19937_64& rng) {
    const std::string doc = random_text(rng, 10);
    const Operation ops[3] = {random_op(rng, code_points(doc)), random_op(rng, code_points(doc)),
                              random_op(rng, code_points(doc))};
    // Every order the log may hold them in.
    int order[3] = {0, 1, 2};
    do {
      // The server: each op transformed over those committed before it, as committed.
      std::vector<Operation> committed;
      std::string server = doc;
      for (int i : order) {
        Operation op = ops[i];
        for (const auto& earlier : committed) op = transform(op, earlier, Side::right);
        server = must_apply(server, op);
        committed.push_back(op);
      }
      // A client whose own op is `mine`: it applied `mine` at once, then receives the others
      // as committed. Those committed before its own came first in the log: each is moved
      // over the client's unacknowledged op (the earlier one wins at one place, so it is the
      // left one), and that op over it. Those after its own were moved over it already.
      for (int k = 0; k < 3; ++k) {
        const int mine = order[k];
        std::string client = must_apply(doc, ops[mine]);
        Operation pending = ops[mine];
        for (int j = 0; j < 3; ++j) {
          if (j == k) {
            pending.clear();  // acknowledged: the rest were committed after it
            continue;
          }
          const Operation& incoming = committed[j];
          const Operation shown = transform(incoming, pending, Side::left);
          pending = transform(pending, incoming, Side::right);
          client = must_apply(client, shown);
        }
        EXPECT_EQ(client, server) << "doc '" << doc << "' order " << order[0] << order[1]
                                  << order[2] << " client " << mine << " ops " << show(ops[0])
                                  << " " << show(ops[1]) << " " << show(ops[2]);
      }
    } while (std::next_permutation(order, order + 3));
  });
}

TEST_F(TextProperties, TransformOverAComposedOperationIsTransformOverEachInTurn) {
  for_each_seed([](std::mt19937_64& rng) {
    const std::string doc = random_text(rng, 10);
    const Operation a = random_op(rng, code_points(doc));
    const Operation b = random_op(rng, code_points(must_apply(doc, a)));
    const Operation c = random_op(rng, code_points(doc));
    const std::string after_ab = must_apply(must_apply(doc, a), b);
    const Operation one = transform(c, compose(a, b), Side::right);
    const Operation each = transform(transform(c, a, Side::right), b, Side::right);
    EXPECT_EQ(must_apply(after_ab, one), must_apply(after_ab, each))
        << "doc '" << doc << "' a " << show(a) << " b " << show(b) << " c " << show(c);
  });
}

TEST_F(TextProperties, ComposeAgreesWithApplyingInTurn) {
  for_each_seed([](std::mt19937_64& rng) {
    const std::string doc = random_text(rng, 12);
    const Operation a = random_op(rng, code_points(doc));
    const std::string middle = must_apply(doc, a);
    const Operation b = random_op(rng, code_points(middle));
    EXPECT_EQ(must_apply(doc, compose(a, b)), must_apply(middle, b))
        << "doc '" << doc << "' a " << show(a) << " b " << show(b);
  });
}

TEST_F(TextProperties, TheInverseUndoes) {
  for_each_seed([](std::mt19937_64& rng) {
    const std::string doc = random_text(rng, 12);
    const Operation a = random_op(rng, code_points(doc));
    auto deleted = deleted_texts(doc, a);
    ASSERT_TRUE(deleted);
    auto inverse = invert(a, deleted.value());
    ASSERT_TRUE(inverse);
    EXPECT_EQ(must_apply(must_apply(doc, a), inverse.value()), doc) << show(a);
  });
}

TEST_F(TextProperties, UndoMovedOverLaterOperationsTakesBackOnlyItsOwnText) {
  // a is undone after b (concurrent or later): the inverse of a, moved over b, applied to the
  // text after both, leaves b's inserts in place and none of a's.
  for_each_seed([](std::mt19937_64& rng) {
    const std::string doc = random_text(rng, 10);
    Operation a;
    a.push_back(Component::keep(code_points(doc) / 2));
    a.push_back(Component::insert("[A]"));
    if (a.front().length == 0) a.erase(a.begin());
    const std::string after_a = must_apply(doc, a);
    const Operation b = random_op(rng, code_points(after_a));
    const std::string after_b = must_apply(after_a, b);
    auto inverse = invert(a, deleted_texts(doc, a).value());
    ASSERT_TRUE(inverse);
    const std::string undone = must_apply(after_b, transform(inverse.value(), b, Side::right));
    EXPECT_EQ(undone.find("[A]"), std::string::npos) << undone;
    for (const auto& c : b) {
      if (c.kind == Component::Kind::insert && c.inserted.find('[') == std::string::npos &&
          c.inserted.find(']') == std::string::npos && c.inserted.find('A') == std::string::npos) {
        EXPECT_NE(undone.find(c.inserted), std::string::npos) << undone << " lost " << c.inserted;
      }
    }
  });
}

TEST_F(TextProperties, CaretsStayOnTheirCharacter) {
  for_each_seed([](std::mt19937_64& rng) {
    const std::string doc = random_text(rng, 12);
    const std::size_t length = code_points(doc);
    const Operation op = random_op(rng, length);
    const std::string after = must_apply(doc, op);
    std::uniform_int_distribution<std::size_t> at(0, length);
    const std::size_t caret = at(rng);
    for (Side side : {Side::left, Side::right}) {
      const std::size_t moved = transform_position(caret, op, side);
      EXPECT_LE(moved, code_points(after));
      // A caret is where a one-character insert there would land.
      Operation marker;
      if (caret > 0) marker.push_back(Component::keep(caret));
      marker.push_back(Component::insert("|"));
      const std::string expected = must_apply(after, [&] {
        Operation at_moved;
        if (moved > 0) at_moved.push_back(Component::keep(moved));
        at_moved.push_back(Component::insert("|"));
        return at_moved;
      }());
      // Side::left: an insert at the caret goes after it, so the marker goes first.
      const std::string through = must_apply(after, transform(marker, op, side));
      EXPECT_EQ(through, expected) << "caret " << caret << " op " << show(op) << " doc '" << doc
                                   << "'";
    }
  });
}

}  // namespace
}  // namespace rembuk::model::text::testing
