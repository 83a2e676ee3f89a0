#!/usr/bin/env node
console.log('flagfetch');
