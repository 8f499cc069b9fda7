#pragma once

// The OpenSSL objects behind RsaPrivateKey/RsaPublicKey, shared by rsa.cpp and x509.cpp only.

#include "crypto/ossl_ptr.h"
#include "crypto/rsa.h"

namespace cpddi::crypto {

struct RsaPrivateKey::Impl {
  PkeyPtr pkey;
};

struct RsaPublicKey::Impl {
  PkeyPtr pkey;
};

}  // namespace cpddi::crypto
