// What the browser or the security key refused, told in French above the form.
// allauth's webauthn.js sends every failure of a WebAuthn ceremony as an
// `allauth.error` event (and, unless it is handled, only logs it to the console).
(function () {
  'use strict'

  var MESSAGES = {
    NotAllowedError: "La clé de sécurité n'a pas répondu à temps, ou l'opération a été annulée. Rien n'a été modifié : réessayez.",
    InvalidStateError: 'Cette clé de sécurité est déjà associée à votre compte.',
    SecurityError: "Les clés de sécurité ne fonctionnent qu'à une adresse sécurisée (https, ou http://localhost sur un poste de développement).",
    NotSupportedError: 'Votre navigateur ou votre clé ne prend pas en charge ce type de clé de sécurité.',
    AbortError: "L'opération a été interrompue. Rien n'a été modifié : réessayez."
  }
  var FALLBACK = "La clé de sécurité n'a pas pu être utilisée. Rien n'a été modifié : réessayez, ou utilisez votre application d'authentification."

  function messageFor (exception) {
    if (!window.PublicKeyCredential) {
      return 'Votre navigateur ne prend pas en charge les clés de sécurité : utilisez votre application d\'authentification.'
    }
    return (exception && MESSAGES[exception.name]) || FALLBACK
  }

  function alertBox () {
    var box = document.getElementById('webauthn-error')
    if (box) return box
    box = document.createElement('div')
    box.id = 'webauthn-error'
    box.className = 'fr-alert fr-alert--error fr-alert--sm fr-mb-3w'
    box.setAttribute('role', 'alert')
    var heading = document.querySelector('main h1')
    if (heading) {
      heading.insertAdjacentElement('afterend', box)
    } else {
      document.querySelector('main').prepend(box)
    }
    return box
  }

  document.addEventListener('allauth.error', function (event) {
    var tags = (event.detail && event.detail.tags) || []
    if (tags.indexOf('webauthn') === -1) return
    event.preventDefault()
    var box = alertBox()
    var text = document.createElement('p')
    text.textContent = messageFor(event.detail.exception)
    box.replaceChildren(text)
  })
})()
