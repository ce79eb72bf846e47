# cmake --install and the Debian packages (CONTRACT.md "Installed layout and
# versions", docs/packaging.md). Two install components, one .deb each:
#   verifier  libtitlecert_verify.so (+ soname link), titlecert-verify, its
#             image module lib/titlecert/titlecert-scan.so, the C
#             header with what it includes, titlecert-verify.pc, the CMake
#             package TitlecertVerify (target titlecert::verify)
#   issuer    titlecert-issuer with its systemd unit, titlecert-config and
#             titlecert-checkd (the programs of the issuing side)
# The layout is the contract's (P/bin, P/lib, P/include), not GNUInstallDirs'
# multiarch libdir, so every prefix looks the same.
include(CMakePackageConfigHelpers)

set(TITLECERT_INSTALL_CMAKEDIR lib/cmake/TitlecertVerify)

# -- verifier --
install(TARGETS titlecert_verify EXPORT TitlecertVerifyTargets
  LIBRARY DESTINATION lib COMPONENT verifier NAMELINK_COMPONENT verifier)
set_target_properties(titlecert_verify PROPERTIES EXPORT_NAME verify)
install(TARGETS titlecert-verify RUNTIME DESTINATION bin COMPONENT verifier)
# The image module (verifier/src/scan_module.h), opened by the CLI and the
# library from lib/titlecert/ on their first image: only it needs ZXing,
# libpng and libjpeg.
if(TITLECERT_SCAN)
  install(TARGETS titlecert_scan_module LIBRARY DESTINATION lib/titlecert COMPONENT verifier)
endif()
# verify.h includes result_codes.def: both go, so the header builds alone.
install(FILES ${PROJECT_SOURCE_DIR}/verifier/include/titlecert/verify.h
              ${PROJECT_SOURCE_DIR}/common/core/include/titlecert/result_codes.def
  DESTINATION include/titlecert COMPONENT verifier)

# pkg-config: the prefix is found from the .pc file's own place, so the file
# is right wherever `cmake --install --prefix` or the .deb puts the tree.
configure_file(${PROJECT_SOURCE_DIR}/packaging/titlecert-verify.pc.in
  ${CMAKE_BINARY_DIR}/packaging/titlecert-verify.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/packaging/titlecert-verify.pc DESTINATION lib/pkgconfig COMPONENT verifier)

install(EXPORT TitlecertVerifyTargets NAMESPACE titlecert:: DESTINATION ${TITLECERT_INSTALL_CMAKEDIR}
  COMPONENT verifier)
configure_package_config_file(${PROJECT_SOURCE_DIR}/packaging/TitlecertVerifyConfig.cmake.in
  ${CMAKE_BINARY_DIR}/packaging/TitlecertVerifyConfig.cmake INSTALL_DESTINATION ${TITLECERT_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/packaging/TitlecertVerifyConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/packaging/TitlecertVerifyConfig.cmake
              ${CMAKE_BINARY_DIR}/packaging/TitlecertVerifyConfigVersion.cmake
  DESTINATION ${TITLECERT_INSTALL_CMAKEDIR} COMPONENT verifier)

# -- issuer side --
install(TARGETS titlecert-config RUNTIME DESTINATION bin COMPONENT issuer)
if(TARGET titlecert-issuer)
  install(TARGETS titlecert-issuer RUNTIME DESTINATION bin COMPONENT issuer)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/titlecert-issuer.service
    DESTINATION lib/systemd/system COMPONENT issuer)
endif()
if(TARGET titlecert-checkd)
  install(TARGETS titlecert-checkd RUNTIME DESTINATION bin COMPONENT issuer)
endif()

# -- CPack: `cpack -G DEB` in the build folder writes one .deb per component --
set(CPACK_PACKAGE_NAME titlecert)
set(CPACK_PACKAGE_VENDOR "titlecert")
set(CPACK_PACKAGE_CONTACT "titlecert maintainers <titlecert@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL verifier)
if(TARGET titlecert-issuer)
  list(APPEND CPACK_COMPONENTS_ALL issuer)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_VERIFIER_PACKAGE_NAME titlecert-verify)
set(CPACK_COMPONENT_VERIFIER_DESCRIPTION
  "titlecert offline verifier: libtitlecert_verify, its C header, and titlecert-verify")
set(CPACK_DEBIAN_ISSUER_PACKAGE_NAME titlecert-issuer)
set(CPACK_COMPONENT_ISSUER_DESCRIPTION
  "titlecert issuer service (systemd unit), titlecert-config and titlecert-checkd")
# The certificate card is drawn with the Noto CJK fonts, found at run time.
set(CPACK_DEBIAN_ISSUER_PACKAGE_DEPENDS "fonts-noto-cjk")
include(CPack)
