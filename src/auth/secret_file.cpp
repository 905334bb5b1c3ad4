#include "auth/secret_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "auth/crypto.hpp"

namespace kianax::auth {
namespace {

std::string read_secret(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the auth secret file " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string s = buf.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.empty())
    throw std::runtime_error("the auth secret file " + path + " is empty; delete it to regenerate");
  return s;
}

}  // namespace

std::string load_or_create_secret(const std::string& path) {
  const std::string secret = hex(random_bytes(32));
  // O_EXCL: two processes starting at once cannot both write; the loser reads the winner's secret.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return read_secret(path);
    throw std::runtime_error("cannot create the auth secret file " + path + ": " + std::strerror(errno));
  }
  const std::string line = secret + "\n";
  const bool ok =
      ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw std::runtime_error("cannot write the auth secret file " + path);
  }
  return secret;
}

}  // namespace kianax::auth
