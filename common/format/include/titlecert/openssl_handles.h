// Owning handles for OpenSSL objects: each lives in a unique_ptr whose
// deleter is OpenSSL's own free function, so every early return frees it.
// One list for the library and its tests.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace titlecert::ossl {

template <auto FreeFn>
struct Free {
  template <class T>
  void operator()(T* p) const noexcept {
    FreeFn(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Free<&EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Free<&EVP_PKEY_CTX_free>>;
using MdPtr = std::unique_ptr<EVP_MD, Free<&EVP_MD_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Free<&EVP_MD_CTX_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, Free<&EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Free<&EVP_KDF_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Free<&BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Free<&BN_free>>;
using SecretBnPtr = std::unique_ptr<BIGNUM, Free<&BN_clear_free>>;  // cleared before it is freed
using BnCtxPtr = std::unique_ptr<BN_CTX, Free<&BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Free<&EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Free<&EC_POINT_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Free<&ECDSA_SIG_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Free<&OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Free<&OSSL_PARAM_free>>;
using P8InfoPtr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, Free<&PKCS8_PRIV_KEY_INFO_free>>;
using X509SigPtr = std::unique_ptr<X509_SIG, Free<&X509_SIG_free>>;
using AlgorPtr = std::unique_ptr<X509_ALGOR, Free<&X509_ALGOR_free>>;
using X509Ptr = std::unique_ptr<X509, Free<&X509_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, Free<&X509_EXTENSION_free>>;

// OPENSSL_free is a macro; these give it an address.
inline void opensslFreeChars(char* p) noexcept { OPENSSL_free(p); }
inline void opensslFreeBytes(unsigned char* p) noexcept { OPENSSL_free(p); }
using OsslCharPtr = std::unique_ptr<char, Free<&opensslFreeChars>>;
using OsslBytePtr = std::unique_ptr<unsigned char, Free<&opensslFreeBytes>>;

}  // namespace titlecert::ossl
